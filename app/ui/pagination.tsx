import { Link, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { parseId } from "~/ids";

/** A positive page number from a named query parameter; anything else is page 1. */
export function namedPage(url: URL, name: string): number {
  const n = parseId(url.searchParams.get(name));
  return n !== null && n <= 100000 ? n : 1;
}

/**
 * Previous / next links for one of several lists on a page: each list has its own parameter,
 * the others are kept, `drop` names parameters that must not follow (an open reply form),
 * and `hash` brings the reader back to the list. Works without JavaScript.
 */
export function PageLinks({
  page,
  pageCount,
  param = "page",
  drop = [],
  hash,
  label,
}: {
  page: number;
  pageCount: number;
  param?: string;
  drop?: string[];
  hash?: string;
  label: string;
}) {
  const { t } = useTranslation();
  const location = useLocation();
  if (pageCount <= 1) return null;
  const hrefFor = (p: number) => {
    const params = new URLSearchParams(location.search);
    for (const name of [...drop, "index"]) params.delete(name);
    if (p === 1) params.delete(param);
    else params.set(param, String(p));
    const qs = params.toString();
    return `${location.pathname}${qs ? `?${qs}` : ""}${hash ? `#${hash}` : ""}`;
  };
  return (
    <nav className="pagination" aria-label={label}>
      {page > 1 ? (
        <Link to={hrefFor(page - 1)} rel="prev">
          {t("pagination.previous")}
        </Link>
      ) : (
        <span aria-hidden="true" />
      )}
      <span>{t("pagination.pageOf", { page, pageCount })}</span>
      {page < pageCount ? (
        <Link to={hrefFor(page + 1)} rel="next">
          {t("pagination.next")}
        </Link>
      ) : (
        <span aria-hidden="true" />
      )}
    </nav>
  );
}

/** Previous / next links for the one list of a page (`?page=`), keeping every other query parameter. */
export function Pagination({ page, pageCount }: { page: number; pageCount: number }) {
  const { t } = useTranslation();
  return <PageLinks page={page} pageCount={pageCount} label={t("pagination.label")} />;
}

/** A positive page number from the query string; anything else is page 1. */
export function pageParam(url: URL): number {
  return namedPage(url, "page");
}

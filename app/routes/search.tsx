import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { search } from "~/search/search.server";
import { SEARCH_KINDS, type SearchKind } from "~/search/kinds";
import { Pagination, pageParam } from "~/ui/pagination";
import { useFormat } from "~/ui/locale-format";
import { pageTitle } from "~/ui/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "search.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").slice(0, 200);
  const kindParam = url.searchParams.get("kind");
  const kind = SEARCH_KINDS.includes(kindParam as SearchKind) ? (kindParam as SearchKind) : null;
  const result = await search(context.db, q, pageParam(url), kind);
  return { q, kind, ...result };
}

export default function Search() {
  const { t } = useTranslation();
  const f = useFormat();
  const { q, kind, hits, total, more, page, pageCount } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("search.title")}</h1>
      <Form method="get" action="/search" role="search" className="search-form">
        <div className="field">
          <label htmlFor="search-q">{t("search.label")}</label>
          <p className="field__hint" id="search-q-hint">
            {t("search.hint")}
          </p>
          <input id="search-q" name="q" type="search" defaultValue={q} maxLength={200} aria-describedby="search-q-hint" />
        </div>
        <div className="field">
          <label htmlFor="search-kind">{t("search.kind")}</label>
          <select id="search-kind" name="kind" defaultValue={kind ?? ""}>
            <option value="">{t("search.allKinds")}</option>
            {SEARCH_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`search.kinds.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t("search.submit")}</button>
      </Form>
      {q ? (
        <p role="status">
          {more ? t("search.foundMore", { formatted: f.number(total), q }) : t("search.found", { count: total, formatted: f.number(total), q })}
        </p>
      ) : null}
      <ol className="search-results">
        {hits.map((hit) => (
          <li key={`${hit.kind}-${hit.id}`}>
            <p className="muted">
              {t(`search.kinds.${hit.kind}`)} · {hit.projectTitle}
            </p>
            <h2 className="search-results__title">
              <Link to={hit.link} dangerouslySetInnerHTML={{ __html: hit.titleHtml || t("search.untitled") }} />
            </h2>
            <p dangerouslySetInnerHTML={{ __html: hit.snippetHtml }} />
          </li>
        ))}
      </ol>
      <Pagination page={page} pageCount={pageCount} />
    </>
  );
}

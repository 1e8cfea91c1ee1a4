import { Link, isRouteErrorResponse, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { RootData } from "~/root";

const KNOWN_STATUSES = [400, 403, 404, 405, 413, 429, 500];

/**
 * The translated error page for a thrown Response or an unexpected error. Used by the root and by
 * the pathless layout under it (app/route-boundary.tsx), so an action's error still has the root
 * loader's data (language, user) on a document request.
 */
export function RouteErrorPage() {
  const error = useRouteError();
  const data = useRouteLoaderData("root") as RootData | undefined;
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const known = KNOWN_STATUSES.includes(status) ? status : 500;
  if (!data) {
    return (
      <main id="main">
        <h1>{status}</h1>
      </main>
    );
  }
  return <ErrorPage status={known} requestId={data.requestId} retryAfter={retryAfterOf(error)} refusal={refusalOf(error)} />;
}

function retryAfterOf(error: unknown): number | null {
  if (isRouteErrorResponse(error) && error.status === 429 && error.data && typeof error.data === "object") {
    const value = (error.data as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    return typeof value === "number" ? value : null;
  }
  return null;
}

function refusalOf(error: unknown): { refusal: string; until: string | null } | null {
  if (isRouteErrorResponse(error) && error.status === 403 && error.data && typeof error.data === "object" && "refusal" in error.data) {
    return error.data as { refusal: string; until: string | null };
  }
  return null;
}

function ErrorPage({
  status,
  requestId,
  retryAfter,
  refusal,
}: {
  status: number;
  requestId: string;
  retryAfter: number | null;
  refusal: { refusal: string; until: string | null } | null;
}) {
  const { t } = useTranslation();
  return (
    <div className="error-page">
      <title>{`${t(`errorPages.${status}.title`)} · Rembug`}</title>
      <p className="error-page__status">{status}</p>
      <h1>{t(`errorPages.${status}.title`)}</h1>
      <p>{refusal ? t(`accounts.refusal.${refusal.refusal}`) : t(`errorPages.${status}.body`)}</p>
      {retryAfter !== null ? <p>{t("errorPages.retryAfter", { count: Math.ceil(retryAfter / 60) })}</p> : null}
      <p>
        <Link to="/">{t("errorPages.home")}</Link>
      </p>
      {status >= 500 ? <p className="muted">{t("errorPages.requestId", { id: requestId })}</p> : null}
    </div>
  );
}

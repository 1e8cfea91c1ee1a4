import { Form, Link, Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration, useLocation, useRouteLoaderData } from "@remix-run/react";
import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { useEffect, useMemo } from "react";
import { I18nextProvider, useTranslation } from "react-i18next";
import { createI18n } from "./i18n/instance";
import { translationsHref } from "./http/i18n-resource.server";
import { registeredTranslations, TRANSLATIONS_LINK_ID } from "./i18n/registry";
import { audienceOf, covers, type Audience } from "./i18n/audience";
import type { AppLocale } from "./i18n/locale";
import { useNonce } from "./ui/nonce";
import { RouteErrorPage } from "./ui/error-page";
import { unreadCount } from "./notifications/notifications.server";
import { MODERATOR_ROLES, PLANNER_ROLES } from "./accounts/roles";
import stylesHref from "./ui/styles.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesHref },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  // Add to home screen: the manifest names the app and its icons.
  { rel: "manifest", href: "/manifest.webmanifest" },
  { rel: "apple-touch-icon", href: "/icons/apple-touch-icon.png" },
];

export async function loader({ context }: LoaderFunctionArgs) {
  const user = context.session?.user ?? null;
  const audience = audienceOf(user?.role);
  return {
    locale: context.locale,
    audience,
    translationsHref: translationsHref(context.locale, audience),
    user: user ? { id: user.id, displayName: user.displayName, role: user.role } : null,
    unread: user ? await unreadCount(context.db, user.id) : 0,
    demo: context.config.demo,
    timeZone: context.config.cityTimezone,
    requestId: context.requestId,
  };
}

export type RootData = Awaited<ReturnType<typeof loader>>;

export function useRootData() {
  return useRouteLoaderData<typeof loader>("root");
}

function Header({ data }: { data: RootData }) {
  const { t } = useTranslation();
  const location = useLocation();
  const here = location.pathname + location.search;
  const role = data.user?.role;
  const staffLinks: { to: string; label: string }[] = [];
  if (role && PLANNER_ROLES.includes(role)) staffLinks.push({ to: "/staff/projects", label: t("nav.staffProjects") });
  if (role && MODERATOR_ROLES.includes(role)) staffLinks.push({ to: "/staff/moderation", label: t("nav.moderation") });
  if (role === "admin") staffLinks.push({ to: "/staff/users", label: t("nav.users") });
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link to="/" className="brand">
          <span aria-hidden="true" className="brand__mark">
            ◆
          </span>{" "}
          Rembug
        </Link>
        <nav aria-label={t("nav.main")}>
          <ul className="nav-list">
            <li>
              <NavLink to="/projects">{t("nav.projects")}</NavLink>
            </li>
            <li>
              <NavLink to="/search">{t("nav.search")}</NavLink>
            </li>
            {staffLinks.map((l) => (
              <li key={l.to}>
                <NavLink to={l.to}>{l.label}</NavLink>
              </li>
            ))}
            {data.user ? (
              <>
                <li>
                  <NavLink to="/notifications">
                    {t("nav.notifications")}
                    {data.unread > 0 ? (
                      <>
                        {" "}
                        <span className="count-badge" aria-hidden="true">
                          {data.unread > 99 ? "99+" : data.unread}
                        </span>
                        <span className="visually-hidden">{t("nav.unread", { count: data.unread })}</span>
                      </>
                    ) : null}
                  </NavLink>
                </li>
                <li>
                  <NavLink to="/account">{t("nav.account")}</NavLink>
                </li>
                <li>
                  <Form method="post" action="/logout" className="inline-form">
                    <button type="submit" className="link-button">
                      {t("nav.logout")}
                    </button>
                  </Form>
                </li>
              </>
            ) : (
              <>
                <li>
                  <NavLink to={`/login?redirectTo=${encodeURIComponent(here)}`}>{t("nav.login")}</NavLink>
                </li>
                <li>
                  <NavLink to="/register">{t("nav.register")}</NavLink>
                </li>
              </>
            )}
          </ul>
        </nav>
        <Form method="post" action="/language" className="lang-switch" reloadDocument>
          <input type="hidden" name="redirectTo" value={here} />
          <input type="hidden" name="locale" value={data.locale === "id" ? "en" : "id"} />
          <button type="submit" lang={data.locale === "id" ? "en" : "id"}>
            {t("nav.switchLanguage")}
          </button>
        </Form>
      </div>
      {data.user ? (
        <p className="signed-in-as">
          {t("nav.signedInAs", { name: data.user.displayName })}
          {data.user.role !== "resident" ? ` · ${t(`roles.${data.user.role}`)}` : null}
        </p>
      ) : null}
    </header>
  );
}

function Document({
  locale,
  title,
  translationsHref,
  audience,
  children,
}: {
  locale: AppLocale;
  title?: string;
  translationsHref?: string;
  audience?: Audience;
  children: React.ReactNode;
}) {
  const nonce = useNonce();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#0b5d3b" />
        {title ? <title>{title}</title> : null}
        <Meta />
        <Links />
        {translationsHref ? (
          <link rel="preload" as="fetch" crossOrigin="anonymous" href={translationsHref} id={TRANSLATIONS_LINK_ID} data-audience={audience} />
        ) : null}
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function Shell({ data, children }: { data: RootData; children: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <>
      <a className="skip-link" href="#main">
        {t("nav.skip")}
      </a>
      {data.demo ? (
        <div className="demo-banner" role="note">
          <strong>{t("demo.title")}</strong> {t("demo.body")}
        </div>
      ) : null}
      <Header data={data} />
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <p>{t("footer.tagline")}</p>
        <p>
          <Link to="/projects">{t("nav.projects")}</Link> · <Link to="/privacy">{t("privacy.footerLink")}</Link>
        </p>
      </footer>
    </>
  );
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRootData();
  const locale = data?.locale ?? "id";
  const registered = data ? registeredTranslations(locale) : undefined;
  const i18n = useMemo(() => (registered ? createI18n(locale, registered.translations) : null), [locale, registered]);
  // The language changed without a new document (another tab switched it), or the account became
  // staff mid-visit and needs the staff strings: load the page anew.
  const reload = Boolean(data) && (!registered || !covers(registered.audience, data!.audience));
  useEffect(() => {
    if (reload) window.location.reload();
  }, [reload]);
  if (!data || !i18n) {
    // The root loader itself failed: nothing to translate with, so render the bare error page.
    return <Document locale="id">{children}</Document>;
  }
  return (
    <I18nextProvider i18n={i18n}>
      <Document locale={locale} translationsHref={data.translationsHref} audience={data.audience}>
        <Shell data={data}>{children}</Shell>
      </Document>
    </I18nextProvider>
  );
}

export default function App() {
  return <Outlet />;
}

/** Errors from the root loader itself; route errors are caught one level down (app/route-boundary.tsx). */
export function ErrorBoundary() {
  return <RouteErrorPage />;
}

import { NavLink, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** The moderators' pages, one link each; the current page is marked for screen readers by NavLink. */
export function ModerationNav() {
  const { t } = useTranslation();
  const root = useRouteLoaderData("root") as { user: { role: string } | null } | undefined;
  const links = [
    { to: "/staff/moderation", label: t("moderation.nav.queue"), end: true },
    { to: "/staff/moderation/log", label: t("moderation.nav.log"), end: false },
    { to: "/staff/moderation/suspensions", label: t("moderation.nav.suspensions"), end: false },
    ...(root?.user?.role === "admin" ? [{ to: "/staff/settings", label: t("moderation.nav.settings"), end: true }] : []),
    { to: "/moderation", label: t("moderation.nav.transparency"), end: true },
  ];
  return (
    <nav className="mod-nav" aria-label={t("moderation.nav.label")}>
      <ul>
        {links.map((l) => (
          <li key={l.to}>
            <NavLink to={l.to} end={l.end}>
              {l.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

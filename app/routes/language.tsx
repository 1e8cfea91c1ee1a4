import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { safeRedirectPath } from "~/http/guards.server";
import { setUserLocale } from "~/accounts/users.server";
import { isLocale, localeCookie } from "~/i18n/locale";
import { readIntent } from "~/http/intent.server";

export async function loader(_: LoaderFunctionArgs) {
  return redirect("/");
}

/** The language switch: remembered in a cookie, and on the account when signed in. */
export const intents = ["set-language"] as const;

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  readIntent(form, intents, "set-language");
  const locale = form.get("locale");
  const to = safeRedirectPath(form.get("redirectTo"));
  if (!isLocale(locale)) return redirect(to);
  if (context.session) await setUserLocale(context.db, context.session.user.id, locale);
  return redirect(to, { headers: { "Set-Cookie": localeCookie(locale, context.config.secureCookies) } });
}

import { redirect } from "@remix-run/node";

/** /reset-password without a link's token: the way to get one. */
export async function loader() {
  return redirect("/forgot-password");
}

/**
 * An expected refusal from the domain layer: a status for HTTP and a translation key (with
 * parameters) for the person. Routes turn it into a form message or an error page.
 */
export class DomainError extends Error {
  constructor(
    public status: 400 | 403 | 404 | 409 | 429,
    public key: string,
    public params: Record<string, string | number> = {},
    /** The form field the message belongs to, when there is one. */
    public field: string = "form",
  ) {
    super(key);
  }
}

export const notFound = () => new DomainError(404, "errors.notFound");
export const forbidden = (key = "errors.forbidden") => new DomainError(403, key);

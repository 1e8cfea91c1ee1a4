/** One refused field: the translation key (with parameters) of its message, and the form field it belongs to ("form" for the whole form). */
export interface FieldError {
  field: string;
  key: string;
  params: Record<string, string | number>;
}

/**
 * An expected refusal from the domain layer: a status for HTTP and one or several field errors,
 * each a translation key (with parameters) for the person. The first is the headline: `key`,
 * `params` and `field` are its own. Routes turn it into a form's reply or an error page.
 */
export class DomainError extends Error {
  /** Every refused field, the headline first. */
  errors: FieldError[];

  constructor(
    public status: 400 | 403 | 404 | 409 | 410 | 429,
    public key: string,
    public params: Record<string, string | number> = {},
    /** The form field the message belongs to, when there is one. */
    public field: string = "form",
  ) {
    super(key);
    this.errors = [{ field, key, params }];
  }

  /** A refusal of several fields at once (a form checked as a whole); the first error is the headline. */
  static fields(status: DomainError["status"], errors: readonly (Omit<FieldError, "params"> & { params?: FieldError["params"] })[]): DomainError {
    const [first] = errors;
    if (!first) throw new Error("DomainError.fields needs at least one error");
    const error = new DomainError(status, first.key, first.params ?? {}, first.field);
    error.errors = errors.map((e) => ({ field: e.field, key: e.key, params: e.params ?? {} }));
    return error;
  }
}

/**
 * What an action answers when a DomainError refuses a form: every field error (the headline
 * first), what the person typed (so nothing is lost) and the intent of the form it came from.
 */
export interface FormFailure {
  ok: false;
  errors: FieldError[];
  values: Record<string, string>;
  intent: string | null;
}

export const notFound = () => new DomainError(404, "errors.notFound");
export const forbidden = (key = "errors.forbidden") => new DomainError(403, key);

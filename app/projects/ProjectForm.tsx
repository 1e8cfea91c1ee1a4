import { Form, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { toCityDateTimeInput } from "~/i18n/city-time";
import type { FormFailure } from "~/domain-error";
import { ErrorSummary, Field, FieldFrame, useFieldError } from "~/ui/form";
import { MarkdownField } from "~/ui/MarkdownField";
import { CATEGORIES } from "~db/schema/values";

/** The planner's project form, shared by the create page and a project's staff page. */
export const PROJECT_FIELDS = ["title", "slug", "summary", "body", "category", "areaId", "budget", "lat", "lng", "opensAt", "closesAt"] as const;
export type ProjectField = (typeof PROJECT_FIELDS)[number];
export type ProjectFormValues = Partial<Record<string, string>>;

/** Mirrors the domain's limits (projects.server.ts) so the browser stops at the same length. */
const TITLE_MAX = 150;
const SUMMARY_MAX = 300;
const BODY_MAX = 10_000;
const SLUG_MAX = 80;

export interface AreaGroup {
  id: number;
  name: string;
  kelurahan: { id: number; name: string }[];
}

/** Kecamatan with their kelurahan, for the area select's <optgroup>s. */
export function groupAreas(kecamatan: { id: number; name: string }[], kelurahan: { id: number; name: string; kecamatan: string }[]): AreaGroup[] {
  return kecamatan.map((k) => ({
    id: k.id,
    name: k.name,
    kelurahan: kelurahan.filter((l) => l.kecamatan === k.name).map((l) => ({ id: l.id, name: l.name })),
  }));
}

/** The form's fields as the domain's ProjectInput (every field a string, missing ones empty). */
export function projectInputOf(values: ProjectFormValues) {
  const get = (name: ProjectField) => values[name] ?? "";
  return {
    title: get("title"),
    slug: get("slug"),
    summary: get("summary"),
    body: get("body"),
    category: get("category"),
    areaId: get("areaId"),
    budget: get("budget"),
    lat: get("lat"),
    lng: get("lng"),
    opensAt: get("opensAt"),
    closesAt: get("closesAt"),
  };
}

/** "1250000000" → "1.250.000.000", the way the hint asks for it. */
export function groupedRupiah(amount: number): string {
  return Math.round(amount)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ".");
}

/** A saved project as the form's values; times as wall-clock time in the city's zone. */
export function projectFormValues(
  project: {
    title: string;
    slug: string;
    summary: string;
    bodySource: string;
    category: string;
    areaId: number;
    budgetRupiah: number;
    lat: number | null;
    lng: number | null;
    consultationOpensAt: Date | null;
    consultationClosesAt: Date | null;
  },
  timeZone: string,
): Record<ProjectField, string> {
  return {
    title: project.title,
    slug: project.slug,
    summary: project.summary,
    body: project.bodySource,
    category: project.category,
    areaId: String(project.areaId),
    budget: groupedRupiah(project.budgetRupiah),
    lat: project.lat === null ? "" : String(project.lat),
    lng: project.lng === null ? "" : String(project.lng),
    opensAt: toCityDateTimeInput(project.consultationOpensAt, timeZone),
    closesAt: toCityDateTimeInput(project.consultationClosesAt, timeZone),
  };
}

function SelectField({
  name,
  label,
  hint,
  error,
  defaultValue,
  children,
}: {
  name: string;
  label: string;
  hint?: string;
  /** Already translated. */
  error?: string | null;
  defaultValue?: string;
  children: React.ReactNode;
}) {
  return (
    <FieldFrame id={`field-${name}`} label={label} hint={hint} error={error}>
      {({ id, aria }) => (
        <select id={id} name={name} defaultValue={defaultValue ?? ""} required {...aria}>
          {children}
        </select>
      )}
    </FieldFrame>
  );
}

export function useProjectFieldLabels(): Record<ProjectField, string> {
  const { t } = useTranslation();
  return {
    title: t("staffProjects.form.title"),
    slug: t("staffProjects.form.slug"),
    summary: t("staffProjects.form.summary"),
    body: t("staffProjects.form.body"),
    category: t("staffProjects.form.category"),
    areaId: t("staffProjects.form.area"),
    budget: t("staffProjects.form.budget"),
    lat: t("staffProjects.form.lat"),
    lng: t("staffProjects.form.lng"),
    opensAt: t("staffProjects.form.opensAt"),
    closesAt: t("staffProjects.form.closesAt"),
  };
}

/**
 * Every field of a project with its error next to it and an error summary above (a refusal of the
 * whole form, such as a suspended planner's, is its message alone). Two submit
 * buttons: "Preview" (intent=preview, renders the body on the server, so it works without
 * JavaScript) and the save button (intent=`intent`).
 */
export function ProjectForm({
  intent,
  submitLabel,
  values,
  failure,
  previewHtml,
  areas,
  timeZone,
  headingLevel,
  editing = false,
  action,
}: {
  intent: "create" | "edit";
  submitLabel: string;
  values?: ProjectFormValues | null;
  failure?: Pick<FormFailure, "errors"> | null;
  previewHtml?: string | null;
  areas: AreaGroup[];
  timeZone: string;
  /** Level of the preview's heading, so headings stay in order on the page that holds the form. */
  headingLevel: 2 | 3;
  editing?: boolean;
  action?: string;
}) {
  const { t } = useTranslation();
  const labels = useProjectFieldLabels();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("section") === "project";
  const v = values ?? {};
  // The domain's "choose a kelurahan" fits registration; a project may also sit in a kecamatan.
  // (Memoised: the error summary takes focus whenever its failure changes.)
  const shown = useMemo(
    () =>
      failure && {
        errors: failure.errors.map((e) => (e.field === "areaId" && e.key === "errors.areaUnknown" ? { ...e, key: "staffProjects.form.areaInvalid" } : e)),
      },
    [failure],
  );
  const fieldError = useFieldError(shown);
  const PreviewHeading = headingLevel === 2 ? "h2" : "h3";
  return (
    <>
      {shown?.errors.every((e) => e.field === "form") ? <ErrorSummary failure={shown} layout="inline" /> : <ErrorSummary failure={shown} labels={labels} />}
      <Form method="post" action={action} noValidate className="project-form">
        <input type="hidden" name="section" value="project" />
        <Field name="title" label={labels.title} required maxLength={TITLE_MAX} defaultValue={v.title} error={fieldError("title")} />
        <Field
          name="slug"
          label={labels.slug}
          maxLength={SLUG_MAX}
          defaultValue={v.slug}
          error={fieldError("slug")}
          hint={editing ? t("staffProjects.form.slugHintEdit") : t("staffProjects.form.slugHint")}
          autoComplete="off"
        />
        <Field
          name="summary"
          label={labels.summary}
          required
          maxLength={SUMMARY_MAX}
          defaultValue={v.summary}
          error={fieldError("summary")}
          hint={t("staffProjects.form.summaryHint", { max: SUMMARY_MAX })}
        />
        <MarkdownField name="body" label={labels.body} defaultValue={v.body} error={fieldError("body")} maxLength={BODY_MAX} rows={10} />
        <p className="project-form__preview-action">
          <button type="submit" name="intent" value="preview" className="button-secondary">
            {t("markdown.previewButton")}
          </button>
        </p>
        {previewHtml !== undefined && previewHtml !== null ? (
          <section className="preview" id="project-preview" aria-labelledby="project-preview-title">
            <PreviewHeading className="preview__title" id="project-preview-title">
              {t("staffProjects.form.previewHeading")}
            </PreviewHeading>
            {previewHtml ? <div className="prose" dangerouslySetInnerHTML={{ __html: previewHtml }} /> : <p className="muted">{t("markdown.previewEmpty")}</p>}
          </section>
        ) : null}
        <SelectField name="category" label={labels.category} defaultValue={v.category} error={fieldError("category")}>
          <option value="">{t("staffProjects.form.chooseCategory")}</option>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {t(`categories.${c}`)}
            </option>
          ))}
        </SelectField>
        <SelectField name="areaId" label={labels.areaId} hint={t("staffProjects.form.areaHint")} defaultValue={v.areaId} error={fieldError("areaId")}>
          <option value="">{t("staffProjects.form.chooseArea")}</option>
          {areas.map((k) => (
            <optgroup key={k.id} label={t("staffProjects.form.kecamatanGroup", { name: k.name })}>
              <option value={String(k.id)}>{t("staffProjects.form.wholeKecamatan", { name: k.name })}</option>
              {k.kelurahan.map((l) => (
                <option key={l.id} value={String(l.id)}>
                  {l.name}
                </option>
              ))}
            </optgroup>
          ))}
        </SelectField>
        <Field
          name="budget"
          label={labels.budget}
          required
          inputMode="numeric"
          defaultValue={v.budget}
          error={fieldError("budget")}
          hint={t("staffProjects.form.budgetHint")}
          autoComplete="off"
        />
        <fieldset className="project-form__group">
          <legend>
            {t("staffProjects.form.location")} <span className="optional">({t("form.optional")})</span>
          </legend>
          <p className="field__hint">{t("staffProjects.form.locationHint")}</p>
          <div className="project-form__pair">
            <Field
              name="lat"
              label={labels.lat}
              inputMode="decimal"
              defaultValue={v.lat}
              error={fieldError("lat")}
              hint={t("staffProjects.form.latHint")}
              autoComplete="off"
            />
            <Field
              name="lng"
              label={labels.lng}
              inputMode="decimal"
              defaultValue={v.lng}
              error={fieldError("lng")}
              hint={t("staffProjects.form.lngHint")}
              autoComplete="off"
            />
          </div>
        </fieldset>
        <fieldset className="project-form__group">
          <legend>
            {t("staffProjects.form.window")} <span className="optional">({t("form.optional")})</span>
          </legend>
          <p className="field__hint">{t("staffProjects.form.windowHint", { zone: timeZone })}</p>
          <div className="project-form__pair">
            <Field name="opensAt" type="datetime-local" label={labels.opensAt} defaultValue={v.opensAt} error={fieldError("opensAt")} />
            <Field name="closesAt" type="datetime-local" label={labels.closesAt} defaultValue={v.closesAt} error={fieldError("closesAt")} />
          </div>
        </fieldset>
        <button type="submit" name="intent" value={intent} disabled={busy}>
          {submitLabel}
        </button>
      </Form>
    </>
  );
}

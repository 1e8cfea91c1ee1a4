import type { ReactNode } from "react";
import { Link } from "@remix-run/react";
import type { Phase } from "~db/schema/values";
import { PhaseBadge } from "./ProjectCard";
import { useFormat } from "~/ui/locale-format";

export interface ProjectFiguresRow {
  slug: string;
  title: string;
  phase: Phase;
}

/** A column after the project and its phase: a count (right-aligned, formatted) or any other cell. */
export type ProjectFiguresColumn<Row> = { label: string } & ({ figure: (row: Row) => number } | { cell: (row: Row) => ReactNode });

/**
 * One project a row, named by a link in its row header, then its phase and the page's own columns.
 * Every label comes from the page, already translated, so each page keeps its own words.
 */
export function ProjectFiguresTable<Row extends ProjectFiguresRow>({
  rows,
  caption,
  captionId,
  captionHidden = false,
  describedBy,
  regionClassName,
  tableClassName,
  projectLabel,
  phaseLabel,
  href,
  columns,
}: {
  rows: Row[];
  caption: string;
  captionId: string;
  /** Kept for screen readers only, where the page's heading already says what the table is. */
  captionHidden?: boolean;
  /** Id of a hint outside the table that the scrollable region points to. */
  describedBy?: string;
  regionClassName?: string;
  tableClassName?: string;
  projectLabel: string;
  phaseLabel: string;
  href: (row: Row) => string;
  columns: ProjectFiguresColumn<Row>[];
}) {
  const f = useFormat();
  return (
    // Focusable so keyboard users can scroll the table sideways on a narrow screen.
    <div
      className={regionClassName ? `table-wrap ${regionClassName}` : "table-wrap"}
      role="region"
      aria-labelledby={captionId}
      aria-describedby={describedBy}
      tabIndex={0}
    >
      <table className={tableClassName}>
        <caption id={captionId} className={captionHidden ? "visually-hidden" : undefined}>
          {caption}
        </caption>
        <thead>
          <tr>
            <th scope="col">{projectLabel}</th>
            <th scope="col">{phaseLabel}</th>
            {columns.map((column, i) => (
              <th key={i} scope="col" className={"figure" in column ? "num" : undefined}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.slug}>
              <th scope="row">
                <Link to={href(row)}>{row.title}</Link>
              </th>
              <td>
                <PhaseBadge phase={row.phase} />
              </td>
              {columns.map((column, i) =>
                "figure" in column ? (
                  <td key={i} className="num">
                    {f.number(column.figure(row))}
                  </td>
                ) : (
                  <td key={i}>{column.cell(row)}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

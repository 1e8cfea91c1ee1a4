import type { Stance } from "~db/schema/values";
import { SMALL_COUNT, SUPPRESSED, type Count } from "./small-counts";

/**
 * Server-rendered SVG charts for the report: pictures of numbers that are also in a table next to
 * them. Each is an image (role="img") named by its caption, so a screen reader hears the caption
 * and then reads the table; nothing here needs JavaScript, and they print as they are.
 * A suppressed count ("< 5") is drawn as a dashed outline up to 4, labelled "< 5"; a withheld
 * one ("x") is not drawn at all, only marked: any height would say something of its size.
 */

const value = (c: Count) => (typeof c === "number" ? c : c === SUPPRESSED ? SMALL_COUNT - 1 : 0);

export interface BarDatum {
  label: string;
  value: Count | number | null;
  /** The value as text next to the bar ("12", "< 5", "3,4"). */
  text: string;
  tone?: Stance | "none" | "plain" | "below" | "above";
}

export function BarChart({
  id,
  caption,
  data,
  reference,
}: {
  id: string;
  caption: string;
  data: BarDatum[];
  /** A vertical line (e.g. the city's rate) with its label. */
  reference?: { value: number; label: string } | null;
}) {
  const labelWidth = 190;
  const barArea = 380;
  const textWidth = 70;
  const rowHeight = 26;
  const width = labelWidth + barArea + textWidth;
  const height = data.length * rowHeight + (reference ? 22 : 6);
  const max = Math.max(1, reference?.value ?? 0, ...data.map((d) => (d.value === null ? 0 : value(d.value)))) * 1.05;
  const x = (v: number) => labelWidth + (v / max) * barArea;
  const captionId = `${id}-caption`;
  return (
    <figure className="report-chart" id={id}>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={captionId} preserveAspectRatio="xMinYMin meet" className="report-chart__svg">
        {data.map((d, i) => {
          const y = i * rowHeight + 4;
          const suppressed = d.value === SUPPRESSED;
          const v = d.value === null ? 0 : value(d.value);
          return (
            <g key={`${d.label}-${i}`}>
              <text x={labelWidth - 8} y={y + 15} textAnchor="end" className="report-chart__label">
                {d.label.length > 28 ? `${d.label.slice(0, 27)}…` : d.label}
              </text>
              {d.value === null ? null : (
                <rect
                  x={labelWidth}
                  y={y + 2}
                  width={Math.max(v > 0 ? 2 : 0, x(v) - labelWidth)}
                  height={rowHeight - 8}
                  className={`report-chart__bar report-chart__bar--${d.tone ?? "plain"}${suppressed ? " report-chart__bar--suppressed" : ""}`}
                />
              )}
              <text x={x(v) + 6} y={y + 15} className="report-chart__value">
                {d.text}
              </text>
            </g>
          );
        })}
        {reference ? (
          <g>
            <line x1={x(reference.value)} x2={x(reference.value)} y1={0} y2={data.length * rowHeight + 4} className="report-chart__reference" />
            <text x={x(reference.value)} y={height - 4} textAnchor="middle" className="report-chart__reference-label">
              {reference.label}
            </text>
          </g>
        ) : null}
      </svg>
      <figcaption id={captionId}>{caption}</figcaption>
    </figure>
  );
}

export function DayChart({ id, caption, days }: { id: string; caption: string; days: { date: string; value: Count; label: string }[] }) {
  const left = 34;
  const plotHeight = 150;
  const bottom = 34;
  const gap = 2;
  const slot = Math.max(6, Math.min(28, Math.floor(620 / Math.max(1, days.length))));
  const width = left + days.length * slot + 8;
  const height = plotHeight + bottom + 8;
  const max = Math.max(SMALL_COUNT, ...days.map((d) => value(d.value)));
  const y = (v: number) => 8 + plotHeight - (v / max) * plotHeight;
  const every = Math.max(1, Math.ceil(days.length / 10));
  const captionId = `${id}-caption`;
  return (
    <figure className="report-chart" id={id}>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={captionId} preserveAspectRatio="xMinYMin meet" className="report-chart__svg">
        <line x1={left} x2={width - 4} y1={y(0)} y2={y(0)} className="report-chart__axis" />
        <text x={left - 6} y={y(max) + 4} textAnchor="end" className="report-chart__value">
          {max}
        </text>
        <text x={left - 6} y={y(0) + 4} textAnchor="end" className="report-chart__value">
          0
        </text>
        {days.map((d, i) => {
          const v = value(d.value);
          const suppressed = d.value === SUPPRESSED;
          const bx = left + i * slot + gap / 2;
          return (
            <g key={d.date}>
              {v > 0 ? (
                <rect
                  x={bx}
                  y={y(v)}
                  width={slot - gap}
                  height={y(0) - y(v)}
                  className={`report-chart__bar report-chart__bar--plain${suppressed ? " report-chart__bar--suppressed" : ""}`}
                />
              ) : typeof d.value === "number" ? null : (
                <text x={bx + (slot - gap) / 2} y={y(0) - 4} textAnchor="middle" className="report-chart__tick">
                  {d.value}
                </text>
              )}
              {i % every === 0 ? (
                <text x={bx + (slot - gap) / 2} y={y(0) + 16} textAnchor="middle" className="report-chart__tick">
                  {d.label}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption id={captionId}>{caption}</figcaption>
    </figure>
  );
}

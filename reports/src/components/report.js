// Shared presentation helpers of the report pages: the data stamp, "not available" notes, number
// formats, KPI cards with sparklines and an accessible palette. Formatting only, no business logic.
import * as Plot from "@observablehq/plot";
import * as d3 from "d3";
import {html} from "./html.js";

/** Okabe–Ito: a categorical palette readable with the common colour-vision deficiencies. */
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];

/** Formats a count: 12,345. */
export const count = (v) => (v == null || Number.isNaN(v) ? "—" : d3.format(",.0f")(v));
/** Formats a large number compactly: 12.3k. */
export const compact = (v) => (v == null || Number.isNaN(v) ? "—" : Math.abs(v) < 1000 ? d3.format(",.0f")(v) : d3.format(".3~s")(v).replace("G", "B"));
/** Formats a share: 12.3%. */
export const pct = (v, digits = 1) => (v == null || Number.isNaN(v) ? "—" : `${(v * 100).toFixed(digits)}%`);
/** Formats money with its currency code: 1,234.50 EUR. */
export const money = (v, currency = "") => (v == null || Number.isNaN(v) ? "—" : `${d3.format(",.2f")(v)}${currency ? ` ${currency}` : ""}`);
/** Formats a multiple: 3.20×. */
export const times = (v) => (v == null || Number.isNaN(v) ? "—" : `${v.toFixed(2)}×`);
/** Formats minutes as "42 min" or "3.5 h". */
export const minutes = (v) => (v == null || Number.isNaN(v) ? "—" : v < 90 ? `${v.toFixed(0)} min` : `${(v / 60).toFixed(1)} h`);
/** Formats a score in −1..1 or an NPS: +12.3. */
export const signed = (v, digits = 1) => (v == null || Number.isNaN(v) ? "—" : `${v > 0 ? "+" : ""}${v.toFixed(digits)}`);

/** Parses `YYYY-MM-DD` or an ISO timestamp into a Date (UTC). */
export const day = (s) => (s instanceof Date ? s : new Date(s.length === 10 ? `${s}T00:00:00Z` : s));

/** Renders when the data was published and by which run. */
export function stamp(meta) {
  const at = meta.publishedAt ? day(meta.publishedAt) : null;
  const run = meta.run;
  return html`<p class="pulse-stamp" data-testid="stamp">Data as of <strong>${at ? at.toISOString().replace("T", " ").slice(0, 16) + " UTC" : "unknown"}</strong> ${
    run ? html`· published by run <code>${run.run_id}</code> (job ${run.job})` : ""
  } · ${meta.marts.length} marts in this build</p>`;
}

/** Renders a section's chart, or a note saying why its data is not in this build. */
export function section(part, render) {
  if (part.available) return render(part.data);
  return unavailable(part);
}

/** The note shown instead of a chart whose data this build lacks. */
export function unavailable(part) {
  const why = part.reason === "missing"
    ? html`<span>This build has no <code>${part.missing.join(", ")}</code>, so this part is left out. It appears once the mart is published.</span>`
    : html`<span>The query for this part failed when the site was built: <code>${part.error}</code></span>`;
  return html`<div class="pulse-unavailable" data-reason="${part.reason}"><strong>Not available in this build.</strong> ${why}</div>`;
}

/** Computes the relative change from `previous` to `current` (null when undefined). */
export function change(current, previous) {
  if (current == null || previous == null || previous === 0) return null;
  return (current - previous) / Math.abs(previous);
}

/**
 * A headline card: value, change against the previous period (green when it moves the good way)
 * and a sparkline of the series.
 */
export function kpiCard({title, value, previous, format, series = [], higherIsBetter = true, note = "", absoluteChange = false, testid}) {
  let changeText = "no earlier period to compare";
  let klass = "";
  if (value != null && previous != null) {
    const delta = value - previous;
    const rel = change(value, previous);
    const arrow = delta > 0 ? "▲" : delta < 0 ? "▼" : "■";
    changeText = absoluteChange || rel == null ? `${arrow} ${signed(delta, 2)} vs previous (${format(previous)})` : `${arrow} ${signed(rel * 100)}% vs previous (${format(previous)})`;
    klass = delta === 0 ? "" : (delta > 0) === higherIsBetter ? "good" : "bad";
  }
  const spark = series.length > 1
    ? Plot.plot({
        height: 40, width: 220, axis: null, margin: 2,
        marks: [Plot.lineY(series, {x: (d) => day(d.date), y: "value", stroke: PALETTE[0], curve: "monotone-x"}), Plot.dot(series.slice(-1), {x: (d) => day(d.date), y: "value", fill: PALETTE[0], r: 2})]
      })
    : html`<span class="pulse-note">no trend</span>`;
  return html`<div class="card pulse-kpi" data-testid="${testid ?? title}">
    <h3>${title}</h3>
    <div class="value" data-value="${value ?? ""}">${format(value)}</div>
    <div class="change ${klass}">${changeText}</div>
    ${spark}
    ${note ? html`<div class="pulse-note">${note}</div>` : ""}
  </div>`;
}

/** A short line under a chart when some of its days are provisional (platforms may still restate them). */
export function provisionalNote(rows, field = "provisional") {
  const days = rows.filter((d) => d[field]).map((d) => d.date).sort();
  if (days.length === 0) return html`<span></span>`;
  return html`<p class="pulse-provisional" data-testid="provisional">◌ Provisional from ${days[0]}: platforms may still restate these days (shaded, hollow points).</p>`;
}

/** Plot marks that shade the provisional days of a daily series. */
export function provisionalMarks(rows, field = "provisional") {
  const days = rows.filter((d) => d[field]).map((d) => day(d.date));
  if (days.length === 0) return [];
  const start = d3.min(days);
  const end = new Date(d3.max(days).getTime() + 86_400_000);
  return [
    Plot.rectX([{start, end}], {x1: "start", x2: "end", fill: "#999", fillOpacity: 0.12}),
    Plot.text([{start}], {x: "start", text: () => "provisional", frameAnchor: "top", dx: 4, textAnchor: "start", fill: "#8a5a00"})
  ];
}

/** Keeps the rows whose `date` falls within [from, to] (inclusive, `YYYY-MM-DD` strings compare in order). */
export function inRange(rows, [from, to]) {
  return rows.filter((d) => d.date >= from && d.date <= to);
}

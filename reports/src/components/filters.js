// Filter inputs the pages share: a date range over the days present in the data.
import * as Inputs from "@observablehq/inputs";
import {html} from "./html.js";

/** A from/to pair of date inputs over the span of `dates` (`YYYY-MM-DD`); its value is [from, to]. */
export function dateRange(dates, {label = "Dates", days} = {}) {
  const sorted = [...new Set(dates)].sort();
  const max = sorted.at(-1) ?? "";
  const min = sorted[0] ?? "";
  const start = days ? (sorted.at(-days) ?? min) : min;
  const from = Inputs.date({label: `${label} from`, value: start, min, max});
  const to = Inputs.date({label: "to", value: max, min, max});
  const form = html`<div class="pulse-range" style="display:flex;gap:1rem;flex-wrap:wrap">${from}${to}</div>`;
  const iso = (d) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d ?? ""));
  const read = () => [iso(from.value) || min, iso(to.value) || max];
  form.value = read();
  for (const input of [from, to]) input.addEventListener("input", (event) => {
    event.stopPropagation();
    form.value = read();
    form.dispatchEvent(new Event("input", {bubbles: true}));
  });
  return form;
}

// A minimal `html` tagged template. htl 1.0.0's package.json exports only an "import" condition,
// which Framework's node_modules resolver (require.resolve) cannot load, and the implicit `html`
// would come from a CDN. Interpolated strings are escaped; nodes (or arrays of nodes) are inserted.
// Quote interpolated attributes: class="a ${b}".
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})[c]);
const isNodes = (v) => v instanceof Node || (Array.isArray(v) && v.some((x) => x instanceof Node));

/** Builds DOM from a template: one element, or a fragment when the template has several top-level nodes. */
export function html(strings, ...values) {
  const nodes = [];
  let source = strings[0];
  values.forEach((value, i) => {
    if (isNodes(value)) {
      nodes.push([value].flat());
      source += `<template data-slot="${nodes.length - 1}"></template>`;
    } else if (Array.isArray(value)) source += value.map(escape).join("");
    else source += value == null || value === false ? "" : escape(value);
    source += strings[i + 1];
  });
  const template = document.createElement("template");
  template.innerHTML = source.trim();
  for (const slot of template.content.querySelectorAll("template[data-slot]")) slot.replaceWith(...nodes[Number(slot.dataset.slot)]);
  return template.content.childNodes.length === 1 ? template.content.firstChild : template.content;
}

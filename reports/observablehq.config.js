// Observable Framework config of the Brandpulse report site. Built by `pulse report`, which sets
// PULSE_SITE_ROOT (a private copy of src/, so every build starts with an empty loader cache) and
// PULSE_SITE_OUTPUT (a temp folder renamed into place). Nothing here may load from a CDN: the
// site must build and open with no network (see README, Reports).
export default {
  title: "Brandpulse",
  root: process.env.PULSE_SITE_ROOT ?? "src",
  output: process.env.PULSE_SITE_OUTPUT ?? "dist",
  // The default theme links a Google font; system fonts keep the site self-contained.
  globalStylesheets: [],
  style: "style.css",
  // Links end in .html so the folder works on any static host without rewrite rules.
  preserveIndex: true,
  preserveExtension: true,
  search: false,
  pager: false,
  toc: false,
  footer: "Brandpulse report — built from analytics.duckdb by <code>pulse report</code>.",
  pages: [
    {name: "Executive overview", path: "/index"},
    {name: "Engagement", path: "/engagement"},
    {name: "Reach and audience", path: "/reach"},
    {name: "Traffic and conversion", path: "/traffic"},
    {name: "Campaign ROI", path: "/campaigns"},
    {name: "Customers", path: "/customers"},
    {name: "Voice of the customer", path: "/voice"},
    {name: "Customer service", path: "/service"},
    {name: "Competitors", path: "/competitors"},
    {name: "Data health", path: "/data-health"},
    {name: "Data dictionary and lineage", path: "/dictionary"}
  ]
};

// The verdict vocabulary as the UI shows it. The words are tamis's exact
// verdicts (DESIGN.md); their meanings come from the API (/api/overview).
// Each verdict has a colour class (style.css, .v-WORD) used by badges and
// the timeline alike, and the word itself is always written out, so
// colour is never the only cue.

import { h } from "./dom.js";

export const VERDICTS = [
  "verified",
  "verified-partial",
  "weak",
  "body-altered",
  "headers-altered",
  "key-revoked",
  "key-missing",
  "invalid-signature",
  "unsigned",
  "rebuilt",
];

/** Which side of the line a verdict falls on, for a one-word summary. */
export function verdictGroup(verdict) {
  if (verdict === "verified" || verdict === "verified-partial") return "proven";
  if (verdict === "body-altered" || verdict === "headers-altered") return "altered";
  return "unproven";
}

export function verdictClass(verdict) {
  return VERDICTS.includes(verdict) ? `v-${verdict}` : "v-unknown";
}

/** A badge: the exact verdict word on its colour. */
export function badge(verdict, attrs = {}) {
  const cls = `badge ${verdictClass(verdict)}${attrs.large ? " badge-large" : ""}`;
  return h("span", { class: cls }, verdict || "no verdict");
}

/** A small square of the verdict's colour, for legends. */
export function swatch(verdict) {
  return h("span", { class: `swatch ${verdictClass(verdict)}`, "aria-hidden": "true" });
}

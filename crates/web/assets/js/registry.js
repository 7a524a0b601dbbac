// What the victim's registry says of a message, an attachment or a
// document (`tamis ingest --registry`), and what verified messages vouch
// for (corroboration). Every text shown comes from the case: set as text.

import { formatDate, h, plural } from "./dom.js";
import { badge } from "./verdicts.js";

const MEANING = {
  "registry-identical": "Same bytes as an item the organisation registered as its own.",
  "registry-altered": "A near-duplicate of a registered item: the same document, edited.",
  "registry-decoy": "A decoy the organisation planted: not genuine, a trap.",
  "registry-unknown": "Nothing like it is registered: for the organisation, a candidate fabrication.",
};

const percent = (x) => (typeof x === "number" ? `${Math.round(x * 100)} %` : "–");

/** The registry's word on one item, or null without a registry. */
export function registryNote(row) {
  if (!row) return null;
  const d = row.detail || {};
  const entry = d.entry;
  const lines = [h("p", {}, h("code", { class: `registry ${row.code}` }, row.code), " ", MEANING[row.code] || "")];
  if (entry) {
    lines.push(h("p", { class: "muted" }, `Registered as ${entry.kind}: `, h("code", {}, entry.path),
      entry.registered_at ? ` on ${formatDate(new Date(entry.registered_at * 1000).toISOString())}` : ""));
  }
  if (row.code === "registry-altered") {
    lines.push(h("p", {}, `Similarity ${percent(d.similarity)}, ${percent(d.containment)} of the original's own text found in it`,
      d.tlsh_distance !== null && d.tlsh_distance !== undefined ? `, TLSH distance ${d.tlsh_distance}` : "", "."));
    lines.push(d.diff ? sideBySide(d.diff) : h("p", { class: "muted" }, "The registry did not keep the original's text (registered without --with-text): no word-level comparison."));
  }
  if (row.code === "registry-decoy") {
    lines.push(h("p", {}, d.recipient
      ? ["Copy given to ", h("strong", {}, d.recipient), ": the mailbox it leaked from."]
      : "Which copy it was could not be told (no watermark survived).",
    d.carriers && d.carriers.length ? ` Watermark carriers that survived: ${d.carriers.join(", ")}.` : ""));
  }
  return h("div", { class: "registry-note" }, lines);
}

/** The original and the leaked copy side by side, changed words marked. */
function sideBySide(diff) {
  const column = (keep, changed, cls) => h("div", { class: `diff-column ${cls}` },
    diff.spans.filter((s) => s.op === "same" || s.op === keep).map((s) =>
      s.op === "same" ? `${s.text} ` : h("mark", { class: changed }, s.text, " ")));
  return h("div", { class: "diff", role: "group", "aria-label": "Registered original and this copy, word by word" },
    h("div", { class: "diff-head" }, h("span", {}, `Registered original (${plural(diff.removed_words, "word", "words")} not in the copy)`),
      h("span", {}, `This copy (${plural(diff.added_words, "word", "words")} not in the original)`)),
    h("div", { class: "diff-body" }, column("removed", "diff-removed", "diff-original"), column("added", "diff-added", "diff-copy")),
    diff.truncated || diff.cut ? h("p", { class: "muted" }, "Long texts: only their beginning is compared.") : null);
}

const HOW = { quoted: "quotes it", forwarded: "forwards it", attached: "carries it as an attachment" };

/** Verified messages vouching for this one, and those this one vouches for. */
export function corroboration(detail) {
  const by = detail.corroborated_by || [];
  const of = detail.corroborates || [];
  if (!by.length && !of.length) return null;
  const item = (c, text) => h("li", {},
    badge(c.message.verdict), " ", h("a", { href: `/messages/${c.message.id}` }, c.message.subject || "(no subject)"),
    ` ${text} (${percent(c.coverage)} of its words)`,
    c.attribution ? h("span", { class: "muted" }, ` — “${c.attribution}”`) : null,
    c.differences && c.differences.length
      ? h("div", { class: "corroboration-differences" },
        h("p", {}, h("strong", {}, "The verified quote differs:")),
        h("ul", {}, c.differences.map((d) => h("li", {},
          d.before ? `…${d.before} ` : "",
          h("mark", { class: d.op === "removed" ? "diff-removed" : "diff-added" }, d.text),
          d.after ? ` ${d.after}…` : "",
          h("span", { class: "muted" }, d.op === "removed" ? " (in the verified quote, not in this copy)" : " (in this copy, not in the verified quote)")))))
      : h("span", { class: "muted" }, " — word for word the same."));
  return h("section", { class: "panel", "aria-labelledby": "corroboration-title" },
    h("h2", { id: "corroboration-title" }, "Corroboration"),
    by.length
      ? [h("p", {}, "This message does not prove itself, but a verified message ", h("strong", {}, "vouches for its text"), ": the signature covers the quote."),
        h("ul", { class: "corroborations" }, by.map((c) => item(c, HOW[c.how] || c.how)))]
      : null,
    of.length
      ? [h("p", {}, "This verified message vouches for the text of:"),
        h("ul", { class: "corroborations" }, of.map((c) => item(c, "is quoted here")))]
      : null);
}

// What tamis-docs read in a document's own metadata: a panel per
// attachment on the message page, and the case-wide findings on the
// overview. Every value is the document's (hostile): set as text only.

import { facts, formatBytes, formatDate, getJSON, h, render } from "./dom.js";
import { registryNote } from "./registry.js";
import { badge } from "./verdicts.js";

/** A Unix time from the document as a date; a forged far-off year that
 *  JavaScript dates cannot hold is shown as the number it is. */
function unix(t) {
  if (t === null || t === undefined) return null;
  try {
    return formatDate(new Date(t * 1000).toISOString());
  } catch {
    return `${t} (Unix seconds)`;
  }
}

/** The metadata panel of one attachment (or loose document), or null
 *  when nothing was read. */
export function documentPanel(attachment) {
  const d = attachment.document;
  if (!d) return null;
  const m = d.metadata || {};
  const pdf = d.pdf;
  return h("div", { class: "document" },
    h("h3", {}, attachment.filename || attachment.location || "(no name)", " ", h("span", { class: "muted" }, d.kind),
      attachment.sha256 ? [" ", h("a", { href: `/documents/${attachment.sha256}` }, "Document page")] : null,
      attachment.location ? [" ", h("a", { href: `/api/attachments/${attachment.sha256}`, download: "" }, "Download")] : null),
    facts([
      ["Author", m.author],
      ["Last modified by", m.last_modified_by],
      ["Created", unix(m.created)],
      ["Modified", unix(m.modified)],
      ["Printed", unix(m.printed)],
      ["Application", [m.application, m.app_version].filter(Boolean).join(" ") || null],
      ["Producer", m.producer],
      ["Company", m.company],
      ["Template", m.template],
      ["Camera", [m.camera_make, m.camera_model].filter(Boolean).join(" ") || null],
      ["Taken", unix(m.taken)],
      ["PDF revisions", pdf ? String(pdf.revisions) : null],
      ["Layers", pdf && pdf.layers && pdf.layers.length ? pdf.layers.join(", ") : null],
      ["Fonts", m.fonts && m.fonts.length ? m.fonts.join(", ") : null],
    ]),
    d.findings.length
      ? h("ul", { class: "findings" }, d.findings.map((f) => h("li", {}, h("code", {}, f.code), " ", f.detail)))
      : h("p", { class: "muted" }, "No trace of editing found in its metadata."),
    registryNote(attachment.registry),
    attachment.revisions && attachment.revisions.length
      ? h("p", {}, "Earlier versions (what the document said before it was edited): ",
        attachment.revisions.map((r, i) => [i ? ", " : "",
          h("a", { href: `/api/attachments/${r.sha256}`, download: "" }, `revision ${r.number} (${formatBytes(r.size)})`)]))
      : null,
    d.problems.length
      ? h("ul", { class: "problems" }, d.problems.map((p) => h("li", {}, h("code", {}, p.code), " ", p.detail)))
      : null);
}

/** The findings only many documents show, on the overview. */
export function documentFindings(findings) {
  if (!findings || !findings.length) return null;
  return h("section", { class: "panel", "aria-labelledby": "documents-title" },
    h("h2", { id: "documents-title" }, "Across the documents"),
    h("p", { class: "muted" }, "Traces only many documents show together: files edited in one burst, an editor whose name is written in another script than the others', documents descending from one original."),
    h("ul", { class: "findings" }, findings.map((f) => h("li", {},
      h("code", {}, f.code), " ", f.detail, " ",
      h("span", { class: "muted" }, f.documents.map((d) => d.name || d.sha256.slice(0, 12)).join(", "))))));
}

/** Documents found on their own in the dump, each with its panel. */
export function looseDocuments(documents) {
  if (!documents || !documents.length) return null;
  return h("section", { class: "panel", "aria-labelledby": "loose-title" },
    h("h2", { id: "loose-title" }, "Documents found on their own"),
    h("p", { class: "muted" }, "Files of the dump that are not attached to a message, as their own metadata describes them; those with findings first. Downloads are saved as files, never opened here."),
    documents.map(documentPanel));
}

/** The page of one document: where it was found, the messages that carry
 *  it, and what its own metadata says. */
export async function showDocument(sha256) {
  const detail = await getJSON(`/api/documents/${sha256}`);
  const title = detail.document.metadata.title || detail.name;
  render(title,
    h("p", { class: "crumbs" }, h("a", { href: "/search?kind=document" }, "Documents"), " › ", detail.name),
    h("h1", {}, title),
    h("section", { class: "panel", "aria-label": "The file" },
      facts([
        ["File name", detail.name],
        ["Size", formatBytes(detail.size)],
        ["SHA-256", h("code", { class: "hash" }, detail.sha256)],
        ["Original", h("a", { href: `/api/attachments/${detail.sha256}`, download: "" }, "Download the exact bytes")],
      ])),
    h("section", { class: "panel", "aria-labelledby": "found-title" },
      h("h2", { id: "found-title" }, "Where it was found"),
      detail.locations.length
        ? h("ul", { class: "origins" }, detail.locations.map((l) => h("li", {}, h("code", {}, l))))
        : h("p", { class: "muted" }, "Only attached to messages."),
      detail.messages.length
        ? [h("p", {}, "Attached to:"),
          h("ul", { class: "attached-to" }, detail.messages.map((m) => h("li", {},
            badge(m.verdict), " ", h("a", { href: `/messages/${m.id}` }, m.subject || "(no subject)"),
            " ", h("span", { class: "muted" }, m.from || "unknown sender"))))]
        : null),
    documentFindings(detail.collection_findings),
    h("section", { class: "panel", "aria-label": "Metadata" },
      documentPanel({ document: detail.document, revisions: detail.revisions, filename: detail.name, registry: detail.registry })));
}

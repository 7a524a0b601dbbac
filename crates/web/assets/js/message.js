// The message page: headers, bodies, attachments, origins, thread, and the
// verdict with its evidence, from /api/messages/{id}.
//
// The plain-text body is set as text. The HTML body is never put into this
// page: it is loaded, sanitized by the server, into an <iframe sandbox>
// without allow-scripts or allow-same-origin, under its own stricter policy.

import { facts, formatBytes, formatDate, getJSON, h, plural, render, table } from "./dom.js";
import { documentPanel } from "./documents.js";
import { evidence } from "./evidence.js";
import { corroboration, registryNote } from "./registry.js";
import { badge } from "./verdicts.js";

function addressList(addresses) {
  return addresses.length ? addresses.join(", ") : null;
}

function bodies(id, detail) {
  const text = detail.text_body
    ? h("pre", { class: "text-body", tabindex: "0", "aria-label": "Message text" }, detail.text_body)
    : h("p", { class: "muted" }, "The message has no text body.");
  const parts = [h("h2", { id: "body-title" }, "Message"), text];
  if (detail.has_html) {
    parts.push(
      h("h3", {}, "As formatted by the sender"),
      h("p", { class: "muted" }, "The sender's HTML, cleaned: scripts, forms, remote images and links to the web are removed, and it runs in a sandbox."),
      h("iframe", {
        class: "html-body",
        src: `/api/messages/${id}/html`,
        sandbox: "",
        referrerpolicy: "no-referrer",
        title: "The message as formatted by the sender (sanitized)",
        loading: "eager",
      }));
  }
  return h("section", { class: "panel", "aria-labelledby": "body-title" }, parts);
}

function attachments(detail) {
  const rows = detail.attachments.map((a) => {
    const name = a.filename || "(no name)";
    return [
      h("span", { class: "filename" }, name),
      h("code", {}, a.content_type),
      a.disposition,
      { num: formatBytes(a.size) },
      h("a", { href: `/api/attachments/${a.sha256}`, download: "", "aria-label": `Download ${name}` }, "Download"),
    ];
  });
  return h("section", { class: "panel", "aria-labelledby": "attachments-title" },
    h("h2", { id: "attachments-title" }, "Attachments"),
    rows.length
      ? [table(null, ["Name", "Type", "Kind", "Size", ""], rows, "compact"),
        h("p", { class: "muted" }, "Downloads are saved as files, never opened here; an attachment from a leak may be hostile."),
        detail.attachments.map(documentPanel)]
      : h("p", { class: "muted" }, "No attachment."));
}

/** The thread as nested lists, one level per reply depth. */
function thread(id, entries) {
  if (entries.length <= 1) return null;
  const root = h("ul", { class: "thread" });
  const stack = [root];
  for (const entry of entries) {
    const depth = Math.min(entry.depth, 20);
    while (stack.length - 1 < depth) {
      const parent = stack[stack.length - 1];
      const holder = parent.lastElementChild || parent.appendChild(h("li", {}));
      stack.push(holder.appendChild(h("ul", {})));
    }
    stack.length = depth + 1;
    const subject = entry.subject || "(no subject)";
    const line = entry.id === null
      ? h("span", { class: "missing" }, "a message not in this case", entry.message_id ? h("code", {}, ` <${entry.message_id}>`) : null)
      : entry.id === id
        ? h("strong", { "aria-current": "page" }, subject, " (this message)")
        : h("a", { href: `/messages/${entry.id}` }, subject);
    stack[depth].append(h("li", {},
      h("div", { class: "thread-entry" },
        entry.verdict ? badge(entry.verdict) : null,
        line,
        h("span", { class: "muted" }, [entry.from, entry.date ? formatDate(entry.date) : null].filter(Boolean).join(" · ")))));
  }
  return h("section", { class: "panel", "aria-labelledby": "thread-title" },
    h("h2", { id: "thread-title" }, `Thread (${plural(entries.length, "message", "messages")})`), root);
}

function origins(detail) {
  const sha = detail.summary.sha256;
  return h("section", { class: "panel", "aria-labelledby": "origins-title" },
    h("h2", { id: "origins-title" }, `Where it was found (${plural(detail.origins.length, "place", "places")})`),
    table(null, ["Location", "SHA-256 of the bytes there"], detail.origins.map((o) => [
      h("code", { class: "location" }, o.location),
      h("span", {}, h("code", { class: "hash" }, o.sha256),
        o.sha256 === sha ? h("span", { class: "muted" }, " — the bytes verified") : h("span", { class: "muted" }, " — a re-exported copy (different bytes, same message)")),
    ]), "compact"));
}

function allHeaders(detail) {
  return h("section", { class: "panel", "aria-labelledby": "headers-title" },
    h("details", {},
      h("summary", {}, h("h2", { id: "headers-title", class: "inline" }, `All headers (${detail.headers.length})`)),
      table(null, ["Name", "Value"], detail.headers.map(([name, value]) => [h("code", {}, name), h("span", { class: "header-value" }, value)]), "compact headers")));
}

export async function showMessage(id) {
  const detail = await getJSON(`/api/messages/${id}`);
  const m = detail.summary;
  render(m.subject || "(no subject)",
    h("p", { class: "crumbs" }, h("a", { href: "/search" }, "Search"), " › ", `Message ${m.id}`),
    h("div", { class: "message-title" },
      h("h1", {}, m.subject || "(no subject)"),
      badge(m.verdict, { large: true })),
    h("p", { class: "reason lead" }, detail.report.reason, " ", h("a", { href: "#evidence" }, "See the evidence below")),
    h("section", { class: "panel", "aria-label": "Headers" },
      facts([
        ["From", m.from],
        ["To", addressList(detail.to)],
        ["Cc", addressList(detail.cc)],
        ["Date", m.date ? formatDate(m.date) : "no usable Date header"],
        ["Message-ID", m.message_id ? h("code", {}, m.message_id) : null],
        ["Gmail labels", detail.labels && detail.labels.length ? detail.labels.join(", ") : null],
        ["SHA-256", h("code", { class: "hash" }, m.sha256)],
        ["Original", h("a", { href: `/api/messages/${m.id}/raw`, download: "" }, "Download the exact original bytes (.eml)"),
        ],
      ], "facts headers-summary"),
      h("p", { class: "muted" }, "The original bytes let anyone re-check the signatures with another tool.")),
    detail.problems.length
      ? h("div", { class: "warning", role: "note" }, h("p", {}, h("strong", {}, "Parts of this message could not be read:")),
        h("ul", {}, detail.problems.map((p) => h("li", {}, p))))
      : null,
    registryNote(detail.registry) ? h("section", { class: "panel", "aria-label": "Registry" }, h("h2", {}, "The organisation's registry"), registryNote(detail.registry)) : null,
    corroboration(detail),
    bodies(m.id, detail),
    evidence(detail.report),
    attachments(detail),
    thread(m.id, detail.thread),
    origins(detail),
    allHeaders(detail),
    h("p", { class: "muted" }, h("a", { href: `/api/messages/${m.id}` }, "this message as JSON")));
}

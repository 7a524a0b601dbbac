// The overview page: the case at a glance, from /api/overview.

import { facts, formatCount, formatDate, getJSON, h, num, plural, render, table } from "./dom.js";
import { documentFindings, looseDocuments } from "./documents.js";
import { timeline } from "./timeline.js";
import { badge, verdictGroup } from "./verdicts.js";

function searchLink(params, text) {
  return h("a", { href: `/search?${new URLSearchParams(params)}` }, text);
}

/** The address inside "Name <address>", for a from:/to: search. */
function addressOf(entry) {
  const m = /<([^<>]+)>\s*$/.exec(entry);
  return (m ? m[1] : entry).trim();
}

/** "Name <address>" as the name, with the address under it in small print. */
function person(entry) {
  const m = /^(.*?)\s*<([^<>]+)>\s*$/.exec(entry);
  if (!m || !m[1]) return entry;
  return [m[1].replace(/^"|"$/g, ""), h("span", { class: "address" }, m[2])];
}

function stat(label, value, note) {
  return h("div", { class: "stat" },
    h("span", { class: "stat-value" }, formatCount(value)),
    h("span", { class: "stat-label" }, label),
    note ? h("span", { class: "stat-note" }, note) : null);
}

function headline(overview) {
  const byGroup = { proven: 0, altered: 0, unproven: 0 };
  for (const v of overview.verdicts) byGroup[verdictGroup(v.verdict)] += v.count;
  return h("p", { class: "lede" },
    `Of ${plural(overview.messages, "unique message", "unique messages")}, `,
    h("strong", {}, formatCount(byGroup.proven)), " are proven by a valid signature over the whole body or a signed part of it, ",
    h("strong", {}, formatCount(byGroup.altered)), " were provably altered after signing, and ",
    h("strong", {}, formatCount(byGroup.unproven)), " can be neither proven nor disproven from the message itself.");
}

function verdictTable(overview) {
  const rows = overview.verdicts.map((v) => {
    const share = overview.messages ? `${((100 * v.count) / overview.messages).toFixed(1)} %` : "–";
    return [
      badge(v.verdict),
      v.count ? { num: searchLink({ verdict: v.verdict }, formatCount(v.count)) } : num(0),
      { num: share },
      v.meaning,
    ];
  });
  const t = table(null, ["Verdict", "Messages", "Share", "What it means"], rows, "verdict-table");
  t.querySelectorAll("tbody tr").forEach((tr, i) => {
    if (!overview.verdicts[i].count) tr.classList.add("zero");
  });
  return h("section", { class: "panel", "aria-labelledby": "verdicts-title" },
    h("h2", { id: "verdicts-title" }, "Verdicts"),
    h("p", { class: "muted" }, "Each message gets exactly one verdict: the strongest its DKIM signatures support. Open a message to see the evidence behind it."),
    t);
}

function countTable(id, title, counts, link, empty) {
  const body = counts.length
    ? table(null, [title.column, "Messages"], counts.map((c) => [link(c.key), num(c.count)]), "compact")
    : h("p", { class: "muted" }, empty);
  return h("section", { class: "panel", "aria-labelledby": id }, h("h2", { id }, title.heading), body);
}

function unreadable(overview) {
  const section = h("section", { class: "panel", "aria-labelledby": "unreadable-title" },
    h("h2", { id: "unreadable-title" }, "Items that could not be read"));
  if (!overview.unreadable_total) {
    section.append(h("p", { class: "muted" }, "Every item in the dump could be read."));
    return section;
  }
  const shown = overview.unreadable.length;
  section.append(
    h("p", {}, `${plural(overview.unreadable_total, "item", "items")} could not be read; each is listed with where it was and why.`
      + (shown < overview.unreadable_total ? ` The first ${formatCount(shown)} are shown.` : "")),
    table(null, ["Where", "Problem", "Why"], overview.unreadable.map((u) => [
      h("code", { class: "location" }, u.location), h("code", {}, u.code), u.reason,
    ]), "compact"));
  return section;
}

/** Items per registry code, when the case was ingested with a registry. */
function registryCounts(counts) {
  if (!counts || !counts.length) return null;
  return h("section", { class: "panel", "aria-labelledby": "registry-title" },
    h("h2", { id: "registry-title" }, "The organisation's registry"),
    h("p", { class: "muted" }, "Each message, attachment and file compared with the fingerprints of the organisation's own files and planted decoys: the same bytes, an edited copy, a decoy (with the mailbox its copy was given to), or unknown — for the organisation, a candidate fabrication."),
    table(null, ["Finding", "Items"], counts.map((c) => [h("code", {}, c.key), num(c.count)]), "compact"));
}

/** Mail stores (PST, OST): what each store's own folder tables list
 *  against what tamis read, so a reader sees that no message was lost. */
function mailStores(stores) {
  if (!stores || !stores.length) return null;
  return h("section", { class: "panel", "aria-labelledby": "stores-title" },
    h("h2", { id: "stores-title" }, "Mail stores"),
    h("p", { class: "muted" }, "Outlook stores keep a message's headers and properties, not its bytes: tamis rebuilt each message, and a signature that fails on a rebuilt message is marked rebuilt, never altered. Every message a store lists is either read or among the items that could not be read, under its folder and node id."),
    table(null, ["Store", "Format", "Folders", "Messages listed", "Read", "Failed"], stores.map((s) => [
      h("code", { class: "location" }, s.location), s.format.toUpperCase(), num(s.folders),
      s.claimed === null ? h("span", { class: "muted" }, "unknown") : num(s.claimed), num(s.read),
      s.failed ? h("strong", {}, num(s.failed)) : num(s.failed),
    ]), "compact"));
}

export function runsTable(runs) {
  if (!runs.length) return h("p", { class: "muted" }, "No ingest run is recorded.");
  const countText = (counts) => Object.entries(counts).map(([k, n]) => `${k.replaceAll("_", " ")} ${formatCount(n)}`).join(", ");
  return table(null, ["Run", "Started", "Finished", "Status", "Paths", "Key files", "Counts", "tamis"],
    runs.map((run) => [
      `#${run.id}`,
      formatDate(run.started_at),
      run.finished_at ? formatDate(run.finished_at) : "not finished",
      run.status,
      h("ul", { class: "plain" }, run.paths.map((p) => h("li", {}, h("code", {}, p)))),
      h("ul", { class: "plain" }, run.key_files.map((k) => h("li", {}, h("code", {}, k))),
        run.dns ? h("li", {}, "live DNS") : null,
        !run.key_files.length && !run.dns ? h("li", { class: "muted" }, "none") : null),
      countText(run.counts),
      run.tamis_version,
    ]), "compact runs");
}

/** A link to the amplification report `tamis spread --case` attached, if any. */
function spreadReport(attached) {
  if (!attached) return null;
  return h("section", { class: "panel", "aria-labelledby": "spread-title" },
    h("h2", { id: "spread-title" }, "How the leak was spread"),
    h("p", {}, "An amplification report is attached to this case: volume and bursts, seed posts, the most active accounts, bot-likeness and coordinated groups. ",
      h("a", { href: "/api/spread", target: "_blank", rel: "noopener" }, "Open the spread report")));
}

export async function showOverview() {
  const overview = await getJSON("/api/overview");
  render("Overview",
    h("h1", {}, "Case overview"),
    headline(overview),
    h("div", { class: "stats" },
      stat("unique messages", overview.messages),
      stat("places found", overview.origins, "duplicates included"),
      stat("attachments", overview.attachments, "unique by content"),
      stat("other files", overview.files),
      stat("could not be read", overview.unreadable_total),
      overview.corroborated ? stat("corroborated", overview.corroborated, "unproven, but quoted by a verified message") : null),
    registryCounts(overview.registry),
    verdictTable(overview),
    timeline(overview.timeline, overview.undated),
    h("div", { class: "columns" },
      countTable("domains-title", { heading: "Sender domains", column: "Domain" }, overview.sender_domains,
        (key) => searchLink({ sender_domain: key }, key), "No sender domain is known."),
      countTable("senders-title", { heading: "Top senders", column: "Sender" }, overview.top_senders,
        (key) => searchLink({ q: `from:"${addressOf(key)}"` }, person(key)), "No sender is known."),
      countTable("recipients-title", { heading: "Top recipients", column: "Recipient" }, overview.top_recipients,
        (key) => searchLink({ q: `to:"${addressOf(key)}"` }, person(key)), "No recipient is known.")),
    unreadable(overview),
    mailStores(overview.mail_stores),
    documentFindings(overview.document_findings),
    looseDocuments(overview.loose_documents),
    spreadReport(overview.spread_report),
    h("section", { class: "panel", "aria-labelledby": "runs-title" },
      h("h2", { id: "runs-title" }, "Ingest runs"),
      h("p", { class: "muted" }, "Every figure here comes from these runs: what was read, with which keys, and when."),
      runsTable(overview.runs)),
    facts([["Data", h("a", { href: "/api/overview" }, "this page as JSON")]], "facts inline"));
}

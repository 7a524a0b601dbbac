// The evidence behind a verdict, from the message's report: every
// signature with its key and where the key came from, what was altered,
// the unsigned tail of an l= signature, repairs, uncovered headers, ARC.
// Written for a reader who must decide whether to publish: each technical
// fact comes with a sentence saying what it means.

import { facts, formatCount, h, plural } from "./dom.js";
import { badge } from "./verdicts.js";

function code(text) {
  return text === null || text === undefined || text === "" ? null : h("code", {}, String(text));
}

function unixDate(seconds) {
  if (seconds === null || seconds === undefined) return null;
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : `${date.toISOString().replace(".000Z", "Z")} (${seconds})`;
}

function bodyHash(signature) {
  const { body_hash_claimed: claimed, body_hash_computed: computed } = signature;
  if (!claimed && !computed) return null;
  const same = claimed && computed && claimed === computed;
  const verdict = !claimed || !computed ? null
    : same ? h("span", { class: "ok" }, "✓ equal: the body is what was signed")
      : h("span", { class: "bad" }, "✗ different: the body changed after signing");
  return h("div", { class: `hash-compare${same ? "" : " mismatch"}` },
    h("div", {}, h("span", { class: "hash-label" }, "claimed (bh=)"), code(claimed) || "–"),
    h("div", {}, h("span", { class: "hash-label" }, "computed"), code(computed) || "–"),
    verdict);
}

function headerSignature(value) {
  if (value === true) return h("span", { class: "ok" }, "✓ verifies: the signed headers are as signed");
  if (value === false) return h("span", { class: "bad" }, "✗ does not verify: a signed header changed, or the key does not match");
  return "not checked (no usable key, or the signature is malformed)";
}

function keyText(signature) {
  if (!signature.key_bits && !signature.key_type) return null;
  const type = signature.key_type ? signature.key_type.toUpperCase() : "key";
  return signature.key_bits ? `${type}, ${formatCount(signature.key_bits)} bits` : type;
}

function unsignedTail(signature) {
  if (!signature.unsigned_body_bytes) return null;
  return h("div", { class: "warning unsigned-tail-box", role: "note" },
    h("p", {}, h("strong", {}, `${plural(signature.unsigned_body_bytes, "byte", "bytes")} at the end of the body are not signed.`),
      " This signature's l= tag covers only the start of the body; anyone could have added what follows, so it proves nothing:"),
    signature.unsigned_tail_preview
      ? h("pre", { class: "unsigned-tail", "aria-label": "Unsigned text" }, h("mark", {}, signature.unsigned_tail_preview))
      : null);
}

const UNCOVERED_REASONS = {
  "extra-instance": "appears more often than the signature covers: mail programs show the unsigned copy added above the signed one",
  "not-in-h": "not covered by the signature (not listed in its h= tag): it could have been changed freely",
};

function uncoveredHeaders(signature) {
  if (!signature.uncovered_headers.length) return null;
  return h("div", { class: "warning", role: "note" },
    h("p", {}, h("strong", {}, "Headers this signature does not vouch for:")),
    h("ul", {}, signature.uncovered_headers.map((u) => h("li", {},
      h("code", {}, `${u.name}: ${u.value}`), " — ", UNCOVERED_REASONS[u.reason] || u.reason))));
}

function signatureCard(signature, index, count, messageReason) {
  const title = [signature.domain ? `d=${signature.domain}` : null, signature.selector ? `s=${signature.selector}` : null]
    .filter(Boolean).join(" ");
  return h("article", { class: "signature", "aria-labelledby": `signature-${index}` },
    h("header", {},
      h("h3", { id: `signature-${index}` }, `Signature ${index + 1}${count > 1 ? ` of ${count}` : ""}`,
        title ? h("span", { class: "signature-id" }, ` ${title}`) : null),
      badge(signature.result)),
    // With one signature its reason is usually the message's, already shown above.
    signature.reason !== messageReason ? h("p", { class: "reason" }, signature.reason) : null,
    facts([
      ["Signing domain", code(signature.domain)],
      ["Selector", code(signature.selector)],
      ["Algorithm", code(signature.algorithm)],
      ["Canonicalization", code(signature.canonicalization)],
      ["Identity (i=)", code(signature.identity)],
      ["Key", keyText(signature)],
      ["Key source", signature.key_source ? code(signature.key_source) : "no key was found"],
      ["Key trust", keyTrust(signature.key_caveats)],
      ["Outcome", code(signature.outcome)],
      ["Header signature", headerSignature(signature.header_signature_verifies)],
      ["Key matches signature", signature.key_matches_signature === null ? null
        : signature.key_matches_signature ? "yes: made with this key" : "no: made with another key"],
      ["Body hash", bodyHash(signature)],
      ["Signed headers", signature.signed_headers.length ? h("span", { class: "tags" }, signature.signed_headers.map((name) => h("code", {}, name))) : "none"],
      ["Signed at (t=)", unixDate(signature.timestamp)],
      ["Expires (x=)", unixDate(signature.expiration)],
      ["Keys tried", signature.keys_tried.length ? h("ul", { class: "plain" }, signature.keys_tried.map((k) => h("li", {}, code(k.source), " — ", k.result))) : null],
    ]),
    unsignedTail(signature),
    uncoveredHeaders(signature),
    signature.notes.length ? h("ul", { class: "notes" }, signature.notes.map((n) => h("li", {}, n))) : null);
}

function arc(report) {
  const a = report.arc;
  const words = { none: "no ARC headers", pass: "the ARC chain validates", fail: "the ARC chain fails" };
  return h("section", { class: "arc", "aria-labelledby": "arc-title" },
    h("h3", { id: "arc-title" }, "ARC (forwarding chain)"),
    facts([
      ["Chain", `${a.chain}: ${words[a.chain] || a.chain}`],
      ["Instances", a.instances ? formatCount(a.instances) : null],
      ["Failed at instance", a.failed_instance === null ? null : String(a.failed_instance)],
      ["Reason", a.reason],
    ]),
    h("p", { class: "muted" }, "ARC records what forwarding servers saw; it never changes the DKIM verdict."));
}

export function evidence(report) {
  const signatures = report.signatures;
  return h("section", { id: "evidence", class: "panel evidence", "aria-labelledby": "evidence-title" },
    h("h2", { id: "evidence-title" }, "Evidence"),
    h("p", { class: "muted" }, signatures.length
      ? `The verdict is the strongest that the message's ${signatures.length === 1 ? "signature supports" : `${signatures.length} signatures support`}. What each signature proves, and how it was checked:`
      : "What tamis found:"),
    h("section", { "aria-labelledby": "repairs-title" },
      h("h3", { id: "repairs-title" }, "Repairs"),
      report.repairs.length
        ? h("ul", {}, report.repairs.map((r) => h("li", {}, h("code", {}, r.code), " — ", r.description)))
        : h("p", { class: "muted" }, "No exporter damage had to be undone.")),
    signatures.length
      ? signatures.map((signature, i) => signatureCard(signature, i, signatures.length, report.reason))
      : h("p", {}, "The message carries no DKIM-Signature header: there is nothing to verify."),
    arc(report));
}

// Why the key that verified proves less than the signature suggests (absent when trusted).
function keyTrust(caveats) {
  if (!caveats || !caveats.length) return null;
  return h("ul", { class: "plain key-trust" }, caveats.map((c) => h("li", {}, h("code", {}, c.code), " ", c.detail)));
}

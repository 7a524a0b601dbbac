// Small DOM and formatting helpers shared by the pages.
//
// Every piece of mail text reaches the page as a text node through h():
// nothing from the case is ever assigned to innerHTML, except search
// snippets, and those only after snippetNodes() has checked them.

/** Creates an element. `attrs` become attributes (false/null skip one);
 *  children are nodes, strings (as text), arrays of them, or null. */
export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }
}

/** GETs JSON from the API; a failed answer throws with the API's own message. */
export async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  let body = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON: reported below by status.
  }
  if (!response.ok) {
    const message = body && body.error ? body.error : `${response.status} ${response.statusText}`;
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return body;
}

/** Replaces the page's main content and title. */
export function render(title, ...content) {
  document.title = title ? `${title} — tamis` : "tamis";
  const main = document.getElementById("main");
  main.replaceChildren(...content.flat().filter(Boolean));
}

export function renderError(error) {
  const notFound = error && error.status === 404;
  render(notFound ? "Not found" : "Error",
    h("h1", {}, notFound ? "Not found" : "Something went wrong"),
    h("p", { class: "error", role: "alert" }, error && error.message ? error.message : String(error)),
    h("p", {}, h("a", { href: "/" }, "Back to the overview")));
}

const integer = new Intl.NumberFormat("en-GB");

export function formatCount(n) {
  return integer.format(n || 0);
}

export function plural(n, one, many) {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

export function formatBytes(n) {
  if (n < 1024) return plural(n, "byte", "bytes");
  const units = ["KB", "MB", "GB", "TB"];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** An RFC 3339 date as the sender's clock showed it, with its offset:
 *  "Fri 28 Apr 2017 09:00 +02:00". Anything else is shown as written. */
export function formatDate(text) {
  if (!text) return "no date";
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return text;
  const [, y, mo, d, hh, mm, zone] = m;
  const weekday = new Date(Date.UTC(+y, +mo - 1, +d)).toLocaleDateString("en-GB", { weekday: "short", timeZone: "UTC" });
  return `${weekday} ${+d} ${MONTHS[+mo - 1]} ${y} ${hh}:${mm} ${zone === "Z" ? "UTC" : zone}`;
}

/** "2017-04" → "Apr 2017". */
export function formatMonth(month) {
  const m = /^(\d{4})-(\d{2})$/.exec(month || "");
  return m ? `${MONTHS[+m[2] - 1]} ${m[1]}` : month;
}

/** A search snippet as nodes. The API sends escaped text with matches in
 *  <mark>; defence in depth: it is parsed as HTML only when, once the
 *  <mark> and </mark> tags are taken out, no '<' or '>' is left, so the
 *  only markup it can hold is <mark> and character references. */
export function snippetNodes(snippet) {
  const fragment = document.createDocumentFragment();
  if (!snippet) return fragment;
  const withoutMarks = snippet.replace(/<\/?mark>/g, "");
  if (/[<>]/.test(withoutMarks)) {
    fragment.appendChild(document.createTextNode(withoutMarks));
    return fragment;
  }
  const template = document.createElement("template");
  template.innerHTML = snippet;
  fragment.appendChild(template.content);
  return fragment;
}

/** A definition list from [term, value] pairs, skipping empty values. */
export function facts(pairs, cls = "facts") {
  return h("dl", { class: cls },
    pairs.filter(([, value]) => value !== null && value !== undefined && value !== "")
      .map(([term, value]) => h("div", {}, h("dt", {}, term), h("dd", {}, value))));
}

/** A number cell for table(): right-aligned. */
export function num(value) {
  return { num: formatCount(value) };
}

/** A table with a caption, header row and rows of cells (nodes, text, or num()). */
export function table(caption, headers, rows, cls = "") {
  const cell = (value) => value && value.num !== undefined
    ? h("td", { class: "num" }, value.num)
    : h("td", {}, value);
  return h("table", { class: cls || false },
    caption ? h("caption", {}, caption) : null,
    h("thead", {}, h("tr", {}, headers.map((header) => h("th", { scope: "col" }, header)))),
    h("tbody", {}, rows.map((cells) => h("tr", {}, cells.map(cell)))));
}

// The search page. Its address holds the same parameters as /api/search,
// so every search and every filter is a link that can be bookmarked or
// shared, and the back button works; the page asks the API with them as
// they are.

import { formatCount, formatDate, formatMonth, getJSON, h, plural, render, snippetNodes } from "./dom.js";
import { badge } from "./verdicts.js";

const FACETS = [
  { name: "verdict", title: "Verdict", label: (value) => badge(value) },
  { name: "sender_domain", title: "Sender domain", label: (value) => value },
  { name: "month", title: "Month sent", label: (value) => (value === "undated" ? "no date" : formatMonth(value)) },
  { name: "has_attachment", title: "Attachments", single: true,
    label: (value) => ({ yes: "with attachments", true: "with attachments", no: "without attachments", false: "without attachments" }[value] || value) },
  { name: "attachment_type", title: "Attachment type", label: (value) => value },
  { name: "kind", title: "Found as", label: (value) => ({ message: "messages", document: "documents on their own" }[value] || value) },
];
const FILTER_NAMES = FACETS.map((facet) => facet.name);
const SORTS = [["relevance", "Best match"], ["newest", "Newest first"], ["oldest", "Oldest first"]];

function currentParams() {
  return new URLSearchParams(location.search);
}

function href(params) {
  const text = params.toString();
  return text ? `/search?${text}` : "/search";
}

/** The same search with one filter value switched on or off, from the first page. */
function toggled(params, facet, value) {
  const next = new URLSearchParams(params);
  next.delete("offset");
  const selected = next.getAll(facet.name);
  if (facet.single) {
    next.delete(facet.name);
    if (!selected.includes(value)) next.set(facet.name, value);
  } else if (selected.includes(value)) {
    next.delete(facet.name);
    selected.filter((v) => v !== value).forEach((v) => next.append(facet.name, v));
  } else {
    next.append(facet.name, value);
  }
  return next;
}

function searchForm(params) {
  const input = h("input", {
    id: "q", name: "q", type: "search", value: params.get("q") || "", autocomplete: "off",
    spellcheck: "false", "aria-describedby": "q-help",
    placeholder: "e.g. facture  or  from:lumen subject:\"Budget\"",
  });
  const sort = h("select", { id: "sort", name: "sort" },
    SORTS.map(([value, text]) => h("option", { value, selected: (params.get("sort") || "relevance") === value }, text)));
  const form = h("form", { class: "search-form", role: "search", "aria-label": "Search the messages and documents" },
    h("div", { class: "search-row" },
      h("label", { for: "q" }, "Search the messages and documents"),
      h("div", { class: "search-controls" },
        input,
        h("button", { type: "submit" }, "Search"))),
    h("p", { id: "q-help", class: "help" },
      "All the words must appear; accents and capitals do not matter. Put \"an exact phrase\" in double quotes, -word to exclude a word. Search one field with ",
      ["from:", "to:", "subject:", "body:", "attachment:", "message_id:"].flatMap((f, i) => [i ? " " : "", h("code", {}, f)]),
      ", for example ", h("code", {}, "from:lumen subject:\"budget meeting\""), ". Documents found on their own are searched too: their title as subject, their author and last editor as from, their file name as attachment. Leave it empty to list everything."),
    h("div", { class: "sort-row" }, h("label", { for: "sort" }, "Sort by"), sort));
  // The page's Content-Security-Policy forbids form submission (form-action
  // 'none'): the search is a navigation to the new address instead.
  const go = () => {
    const next = new URLSearchParams(params);
    next.delete("offset");
    next.set("q", input.value.trim());
    if (!input.value.trim()) next.delete("q");
    next.set("sort", sort.value);
    if (sort.value === "relevance") next.delete("sort");
    location.assign(href(next));
  };
  form.addEventListener("submit", (event) => { event.preventDefault(); go(); });
  sort.addEventListener("change", go);
  return form;
}

function activeFilters(params) {
  const chips = [];
  for (const facet of FACETS) {
    for (const value of params.getAll(facet.name)) {
      chips.push(h("li", {}, h("a", { class: "chip", href: href(toggled(params, facet, value)),
        "aria-label": `Remove filter ${facet.title}: ${value}` },
      `${facet.title}: `, facet.label(value), h("span", { "aria-hidden": "true", class: "chip-x" }, " ×"))));
    }
  }
  if (!chips.length) return null;
  const cleared = new URLSearchParams(params);
  FILTER_NAMES.forEach((name) => cleared.delete(name));
  cleared.delete("offset");
  return h("div", { class: "active-filters" },
    h("span", { class: "muted" }, "Filters:"),
    h("ul", { class: "chips" }, chips),
    h("a", { href: href(cleared) }, "Clear all filters"));
}

function facetPanel(params, facets) {
  return h("aside", { class: "facets", "aria-label": "Filters" },
    h("h2", { class: "visually-hidden" }, "Filters"),
    FACETS.map((facet) => {
      const values = facets[facet.name] || [];
      const selected = params.getAll(facet.name);
      // A selected value with no matches left still shows, so it can be switched off.
      for (const value of selected) if (!values.some((v) => v.key === value)) values.push({ key: value, count: 0 });
      if (!values.length) return null;
      return h("section", { class: "facet" },
        h("h3", {}, facet.title),
        h("ul", {}, values.map(({ key, count }) => {
          const on = selected.includes(key);
          return h("li", {}, h("a", {
            href: href(toggled(params, facet, key)),
            class: on ? "facet-value selected" : "facet-value",
            "data-facet": facet.name, "data-value": key,
          }, h("span", { class: "check", "aria-hidden": "true" }, on ? "✓" : ""),
          h("span", { class: "facet-label" }, facet.label(key)),
          on ? h("span", { class: "visually-hidden" }, " (filter on: select to remove it)") : null,
          h("span", { class: "facet-count" }, formatCount(count))));
        })));
    }));
}

function documentHit(result) {
  const d = result.document;
  return h("li", { class: "hit" },
    h("div", { class: "hit-head" },
      h("span", { class: "badge kind-document" }, d.kind),
      h("a", { class: "hit-subject", href: `/documents/${d.sha256}` }, d.title || d.name || "(no name)")),
    h("div", { class: "hit-meta" },
      h("span", {}, [d.author, d.last_modified_by].filter(Boolean).join(", ") || "no author in its metadata"),
      d.modified ? h("span", {}, `modified ${formatDate(d.modified)} (as it claims)`) : null,
      h("span", {}, d.location),
      d.findings.length ? h("span", {}, d.findings.join(", ")) : null),
    result.snippet ? h("p", { class: "snippet" }, snippetNodes(result.snippet)) : null);
}

function hit(result) {
  if (result.kind === "document") return documentHit(result);
  const m = result.message;
  return h("li", { class: "hit" },
    h("div", { class: "hit-head" },
      badge(m.verdict),
      h("a", { class: "hit-subject", href: `/messages/${m.id}` }, m.subject || "(no subject)")),
    h("div", { class: "hit-meta" },
      h("span", {}, m.from || "unknown sender"),
      h("span", {}, formatDate(m.date)),
      m.attachments ? h("span", {}, plural(m.attachments, "attachment", "attachments")) : null),
    result.snippet ? h("p", { class: "snippet" }, snippetNodes(result.snippet)) : null);
}

function pagination(params, page) {
  if (page.total <= page.limit) return null;
  const pages = Math.ceil(page.total / page.limit);
  const current = Math.floor(page.offset / page.limit);
  const link = (index, text, rel) => {
    const next = new URLSearchParams(params);
    if (index) next.set("offset", String(index * page.limit)); else next.delete("offset");
    return h("a", { href: href(next), rel: rel || false, "aria-current": index === current ? "page" : false }, text);
  };
  const shown = new Set([0, pages - 1]);
  for (let i = current - 2; i <= current + 2; i += 1) if (i >= 0 && i < pages) shown.add(i);
  const items = [];
  let last = -1;
  for (const index of [...shown].sort((a, b) => a - b)) {
    if (index - last > 1) items.push(h("li", { class: "gap", "aria-hidden": "true" }, "…"));
    items.push(h("li", {}, link(index, String(index + 1))));
    last = index;
  }
  return h("nav", { class: "pagination", "aria-label": "Result pages" },
    h("ul", {},
      current > 0 ? h("li", {}, link(current - 1, "← Previous", "prev")) : null,
      items,
      current < pages - 1 ? h("li", {}, link(current + 1, "Next →", "next")) : null));
}

export async function showSearch() {
  const params = currentParams();
  const form = searchForm(params);
  render("Search", h("h1", {}, "Search"), form, h("p", { class: "status", role: "status" }, "Searching…"));
  let page;
  try {
    page = await getJSON(`/api/search?${params}`);
  } catch (error) {
    render("Search", h("h1", {}, "Search"), form,
      h("p", { class: "error", role: "alert" }, error.message));
    return;
  }
  const first = page.offset + 1;
  const last = page.offset + page.hits.length;
  const summary = page.total
    ? `${plural(page.total, "message matches", "messages match")}${page.total > page.hits.length ? `; ${formatCount(first)}–${formatCount(last)} shown` : ""}.`
    : "No message matches.";
  render(params.get("q") ? `Search: ${params.get("q")}` : "Search",
    h("h1", {}, "Search"),
    form,
    activeFilters(params),
    (page.warnings || []).map((warning) => h("p", { class: "notice", role: "note" }, warning)),
    h("div", { class: "search-layout" },
      facetPanel(params, page.facets || {}),
      h("section", { class: "results", "aria-labelledby": "results-title" },
        h("h2", { id: "results-title", class: "results-summary", role: "status" }, summary,
          h("span", { class: "took" }, ` (${page.took_ms.toFixed(0)} ms)`)),
        h("ol", { class: "hits", start: first }, page.hits.map(hit)),
        pagination(params, page),
        h("p", { class: "muted" }, h("a", { href: `/api/search?${params}` }, "these results as JSON")))));
}

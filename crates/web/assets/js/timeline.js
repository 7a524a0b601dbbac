// The timeline: messages per month of their Date header, one stacked bar
// per month coloured by verdict, drawn as inline SVG. Months without a
// message are drawn as gaps so the time axis stays true. Each bar links to
// the search filtered to its month; a table under it holds the same figures.

import { formatCount, formatMonth, h, num, table } from "./dom.js";
import { VERDICTS, swatch, verdictClass } from "./verdicts.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 960;
const HEIGHT = 260;
const MARGIN = { top: 12, right: 12, bottom: 40, left: 48 };

function s(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, String(value));
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Every month from the first bucket to the last, zeros included. */
function everyMonth(buckets) {
  const byMonth = new Map(buckets.map((bucket) => [bucket.month, bucket.counts]));
  const [firstYear, firstMonth] = buckets[0].month.split("-").map(Number);
  const [lastYear, lastMonth] = buckets[buckets.length - 1].month.split("-").map(Number);
  const months = [];
  for (let y = firstYear, m = firstMonth; y < lastYear || (y === lastYear && m <= lastMonth);) {
    const key = `${y}-${String(m).padStart(2, "0")}`;
    months.push({ month: key, counts: byMonth.get(key) || {} });
    m += 1;
    if (m > 12) { m = 1; y += 1; }
    if (months.length > 1200) break; // a century: a hostile Date header must not hang the page
  }
  return months;
}

function total(counts) {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** A round step for the y axis giving about four gridlines. */
function tickStep(max) {
  const rough = Math.max(1, max / 4);
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((f) => f * power).find((step) => step >= rough);
}

function describe(month, counts) {
  const parts = VERDICTS.filter((v) => counts[v]).map((v) => `${v} ${formatCount(counts[v])}`);
  const n = total(counts);
  return `${formatMonth(month)}: ${formatCount(n)} message${n === 1 ? "" : "s"}${parts.length ? ` (${parts.join(", ")})` : ""}`;
}

export function timeline(buckets, undated) {
  const section = h("section", { class: "panel timeline", "aria-labelledby": "timeline-title" },
    h("h2", { id: "timeline-title" }, "When the messages were sent"));
  if (!buckets || buckets.length === 0) {
    section.append(h("p", { class: "muted" }, "No message has a usable Date header."));
    return section;
  }
  const months = everyMonth(buckets);
  const max = Math.max(1, ...months.map((m) => total(m.counts)));
  const step = tickStep(max);
  const top = Math.ceil(max / step) * step;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const slot = plotWidth / months.length;
  const barWidth = Math.max(1, slot * 0.8);
  const y = (value) => MARGIN.top + plotHeight - (value / top) * plotHeight;

  const svg = s("svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    class: "timeline-chart",
    "aria-labelledby": "timeline-svg-title",
  }, s("title", { id: "timeline-svg-title" },
    `Messages per month, ${formatMonth(months[0].month)} to ${formatMonth(months[months.length - 1].month)}, coloured by verdict`));

  for (let value = 0; value <= top; value += step) {
    svg.append(
      s("line", { class: "grid", x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(value), y2: y(value) }),
      s("text", { class: "axis-label", x: MARGIN.left - 8, y: y(value) + 4, "text-anchor": "end" }, formatCount(value)));
  }

  const labelEvery = months.length <= 24 ? 1 : months.length <= 72 ? 3 : 12;
  months.forEach(({ month, counts }, index) => {
    const x = MARGIN.left + index * slot + (slot - barWidth) / 2;
    const n = total(counts);
    const bar = s("a", { href: `/search?month=${month}&sort=oldest`, "aria-label": describe(month, counts) },
      s("title", {}, describe(month, counts)));
    // A transparent full-height target so thin bars are easy to hover and click.
    bar.append(s("rect", { class: "hit", x: MARGIN.left + index * slot, y: MARGIN.top, width: slot, height: plotHeight }));
    let stacked = 0;
    for (const verdict of VERDICTS) {
      const count = counts[verdict] || 0;
      if (!count) continue;
      bar.append(s("rect", {
        class: `bar ${verdictClass(verdict)}`,
        x, width: barWidth,
        y: y(stacked + count), height: Math.max(0, y(stacked) - y(stacked + count)),
      }));
      stacked += count;
    }
    svg.append(n ? bar : s("g", {}, s("title", {}, describe(month, counts))));
    const [year, m] = month.split("-");
    const showLabel = labelEvery === 1 || (labelEvery === 12 ? m === "01" : (Number(m) - 1) % labelEvery === 0);
    if (showLabel) {
      const label = labelEvery === 12 ? year : formatMonth(month);
      svg.append(s("text", {
        class: "axis-label", x: MARGIN.left + index * slot + slot / 2, y: HEIGHT - MARGIN.bottom + 16, "text-anchor": "middle",
      }, label));
    }
  });
  svg.append(s("line", { class: "axis", x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(0), y2: y(0) }));

  const present = VERDICTS.filter((verdict) => months.some((m) => m.counts[verdict]));
  const legend = h("ul", { class: "legend", "aria-label": "Colours" },
    present.map((verdict) => h("li", {}, swatch(verdict), verdict)));

  const rows = months.filter((m) => total(m.counts)).map(({ month, counts }) =>
    [h("a", { href: `/search?month=${month}&sort=oldest` }, formatMonth(month)), num(total(counts)),
      VERDICTS.filter((v) => counts[v]).map((v) => `${v} ${formatCount(counts[v])}`).join(", ")]);
  section.append(...[
    h("div", { class: "chart-frame" }, svg),
    legend,
    undated ? h("p", { class: "muted" }, `${formatCount(undated)} message${undated === 1 ? " has" : "s have"} no usable Date header and ${undated === 1 ? "is" : "are"} not on the timeline.`) : null,
    h("details", {}, h("summary", {}, "The same figures as a table"),
      table(null, ["Month", "Messages", "By verdict"], rows, "compact")),
  ].filter(Boolean));
  return section;
}

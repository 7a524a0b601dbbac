// Browser end-to-end test of `tamis serve`, in Debian's headless Chromium
// driven by playwright-core. Run by crates/cli/tests/ui_chromium.rs, which
// builds the case and starts the server:
//
//   node ui.mjs --base http://127.0.0.1:PORT --out DIR --expect '{"verified":25,…}'
//
// It does what a journalist would: reads the overview, searches, narrows
// with a facet, opens messages and reads their evidence; and it opens the
// hostile-HTML fixture to prove that the page made no request off this
// machine and ran no script from the mail. Screenshots go to --out.
// Exits non-zero with the failed check's description.

import { chromium } from "playwright-core";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) args[argv[i].replace(/^--/, "")] = argv[i + 1];
  for (const required of ["base", "out", "expect"]) {
    if (!args[required]) throw new Error(`missing --${required}`);
  }
  return { base: args.base.replace(/\/$/, ""), out: args.out, expect: JSON.parse(args.expect) };
}

function check(condition, description) {
  if (!condition) throw new Error(`check failed: ${description}`);
  console.log(`ok - ${description}`);
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

async function ready(page) {
  await page.waitForSelector("body[data-ready=true]", { timeout: 15000 });
}

async function main() {
  const { base, out, expect } = parseArgs(process.argv.slice(2));
  mkdirSync(out, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), "tamis-chromium-"));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      // Belt and braces: no name but loopback resolves, so nothing the
      // mail names could be reached even if a request slipped through.
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
    ],
    viewport: { width: 1280, height: 900 },
  });
  const offMachine = [];
  const consoleLines = [];
  const pageErrors = [];
  // Every request of every frame passes here; anything not for this
  // machine is recorded and never sent.
  await browser.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === "data:" || LOOPBACK.has(url.hostname)) return route.continue();
    offMachine.push(route.request().url());
    return route.abort();
  });
  const page = browser.pages()[0] || await browser.newPage();
  page.on("console", (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => pageErrors.push(String(error)));

  try {
    // Control: the two detectors below see what they are meant to see. A
    // blank page (no policy of ours) loads a remote image and runs a script.
    const control = await browser.newPage();
    const controlLines = [];
    control.on("console", (message) => controlLines.push(message.text()));
    await control.setContent('<img src="http://tracker.example/control.gif"><script>console.log("CONTROL-SCRIPT-RAN")</script>');
    await control.waitForTimeout(300);
    check(offMachine.some((url) => url.includes("control.gif")), "control: an off-machine request is caught and blocked");
    check(controlLines.includes("CONTROL-SCRIPT-RAN"), "control: a script's console output is seen");
    await control.close();
    offMachine.length = 0;

    // Overview: the verdict counts the sample documents.
    await page.goto(`${base}/`);
    await ready(page);
    const rows = await page.$$eval(".verdict-table tbody tr", (trs) => trs.map((tr) => ({
      verdict: tr.querySelector(".badge").textContent.trim(),
      count: Number(tr.querySelectorAll("td")[1].textContent.replace(/\D/g, "")),
      meaning: tr.querySelectorAll("td")[3].textContent.trim(),
    })));
    check(rows.length === 10, "the overview lists all ten verdicts");
    for (const row of rows) {
      check(row.count === (expect[row.verdict] || 0), `overview: ${row.verdict} = ${expect[row.verdict] || 0}`);
      check(row.meaning.length > 30, `overview: ${row.verdict} is explained in words`);
    }
    const bars = await page.$$eval(".timeline-chart rect.bar", (rects) => rects.length);
    check(bars > 0, "the timeline draws bars");
    const barClasses = await page.$$eval(".timeline-chart rect.bar", (rects) => [...new Set(rects.map((r) => r.getAttribute("class")))]);
    check(barClasses.some((c) => c.includes("v-body-altered")), "timeline bars are coloured by verdict");
    check(await page.locator("text=Sender domains").count() > 0, "the overview shows sender domains");
    check(await page.locator("text=Ingest runs").count() > 0, "the overview shows the ingest runs");
    await page.screenshot({ path: join(out, "overview.png"), fullPage: true });
    await page.keyboard.press("Tab");
    check(await page.evaluate(() => document.activeElement.textContent.trim()) === "Skip to content",
      "the first Tab reaches the skip link");

    // Search a known word, then narrow with a facet.
    await page.goto(`${base}/search`);
    await ready(page);
    await page.fill("#q", "budget");
    await Promise.all([page.waitForURL(/q=budget/), page.press("#q", "Enter")]);
    await ready(page);
    const subjects = await page.$$eval(".hit-subject", (links) => links.map((a) => a.textContent));
    check(subjects.includes("Budget meeting de Lyon"), "searching 'budget' finds 'Budget meeting de Lyon'");
    check(await page.locator(".snippet mark").count() > 0, "matched words are highlighted");
    const before = subjects.length;

    await page.goto(`${base}/search`);
    await ready(page);
    const facet = page.locator('a.facet-value[data-facet="verdict"][data-value="body-altered"]');
    check(await facet.count() === 1, "the verdict facet offers body-altered");
    await Promise.all([page.waitForURL(/verdict=body-altered/), facet.click()]);
    await ready(page);
    const badges = await page.$$eval(".hit .badge", (spans) => spans.map((s) => s.textContent));
    check(badges.length === expect["body-altered"], `the facet narrows to ${expect["body-altered"]} body-altered messages`);
    check(badges.every((b) => b === "body-altered"), "every hit left is body-altered");
    check(before > 0, "the search had results before the facet");
    await page.screenshot({ path: join(out, "search.png"), fullPage: true });

    // Documents found on their own: searched by their editor, opened on a
    // page of their own with the traces their metadata shows.
    await page.goto(`${base}/search?q=${encodeURIComponent("from:рошка")}`);
    await ready(page);
    const documentHits = page.locator(".hit .badge.kind-document");
    check(await documentHits.count() >= 6, "searching the editor's name finds the loose spreadsheets");
    await Promise.all([page.waitForURL(/\/documents\/[0-9a-f]{64}$/), page.locator(".hit-subject").first().click()]);
    await ready(page);
    const documentPage = await page.locator("main").textContent();
    check(documentPage.includes("Рошка Георгий Петрович"), "the document page shows the editor from its metadata");
    check(documentPage.includes("Where it was found"), "the document page says where it was found");
    check(documentPage.includes("edit-burst"), "the document page shows the edit burst it belongs to");
    check(await page.locator("a", { hasText: "Download the exact bytes" }).count() === 1, "the document's download is offered");
    await page.screenshot({ path: join(out, "document.png"), fullPage: true });
    await page.goto(`${base}/search?verdict=body-altered`);
    await ready(page);

    // Open a message: its badge and the evidence of the altered body.
    const altered = page.locator(".hit-subject", { hasText: "Note de frais avril" });
    await Promise.all([page.waitForURL(/\/messages\/\d+$/), altered.click()]);
    await ready(page);
    check((await page.locator(".message-title .badge").textContent()) === "body-altered", "the message wears its body-altered badge");
    const evidence = await page.locator("#evidence").textContent();
    check(evidence.includes("different: the body changed after signing"), "the evidence shows the body hashes differ");
    check(/sample-keys\.zone:\d+/.test(evidence), "the evidence names the key file and line");
    check(evidence.includes("campagne.example.fr"), "the evidence names the signing domain");
    check(await page.locator("a", { hasText: "Download the exact original bytes" }).count() === 1, "the raw download is offered");
    await page.screenshot({ path: join(out, "message.png"), fullPage: true });

    // A partially signed message: the unsigned tail is highlighted.
    await page.goto(`${base}/search?verdict=verified-partial`);
    await ready(page);
    await Promise.all([page.waitForURL(/\/messages\/\d+$/), page.locator(".hit-subject").first().click()]);
    await ready(page);
    check(await page.locator(".unsigned-tail mark").count() === 1, "the unsigned tail of an l= signature is highlighted");
    await page.screenshot({ path: join(out, "message-partial.png"), fullPage: true });

    // The hostile fixture: nothing leaves the machine, nothing of the mail runs.
    await page.goto(`${base}/search?q=subject%3Ahostile`);
    await ready(page);
    const htmlLoaded = page.waitForResponse((r) => /\/api\/messages\/\d+\/html$/.test(r.url()));
    await Promise.all([page.waitForURL(/\/messages\/\d+$/), page.locator(".hit-subject").first().click()]);
    await ready(page);
    const htmlResponse = await htmlLoaded;
    check(htmlResponse.status() === 200, "the sanitized HTML body loads in its frame");
    const frameElement = await page.waitForSelector("iframe.html-body");
    check((await frameElement.getAttribute("sandbox")) === "", "the HTML body's iframe is sandboxed with no allowance");
    const frame = await frameElement.contentFrame();
    await frame.waitForLoadState("load");
    const served = (await htmlResponse.text()).toLowerCase();
    for (const banned of ["<script", "onerror", "<form", "javascript:", "<iframe", "tracker.example"]) {
      check(!served.includes(banned), `the served HTML holds no ${banned}`);
    }
    check(served.includes("vendredi 5 mai"), "the HTML body's text is shown");
    await page.waitForTimeout(500);
    const textBody = await page.locator("pre.text-body").textContent();
    check(textBody.includes("soiree de soutien, vendredi 5 mai"), "the plain-text body is shown as text");
    check(await page.locator("main form, main script, main iframe:not(.html-body)").count() === 0,
      "the page holds no form, script or other frame from the mail");
    await page.screenshot({ path: join(out, "hostile.png"), fullPage: true });

    check(offMachine.length === 0, `no request left the machine (${offMachine.join(", ") || "none tried"})`);
    const ran = consoleLines.filter((line) => line.includes("HOSTILE"));
    check(ran.length === 0, `no script from the mail ran (${ran.join("; ") || "none"})`);
    const violations = consoleLines.filter((line) => /Content.Security.Policy/i.test(line));
    check(violations.length === 0, `the UI itself breaks no Content-Security-Policy rule (${violations.join("; ") || "none"})`);
    check(pageErrors.length === 0, `no script error on any page (${pageErrors.join("; ") || "none"})`);
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().then(() => {
  console.log("e2e: all checks passed");
}, (error) => {
  console.error(`e2e: ${error.message}`);
  process.exitCode = 1;
});

// Drives the course editor as a trainer would, in Debian's headless Chromium: the one-time link,
// a broken file (its line shown), the preview, publishing; then axe-core on the page, which
// must find nothing (WCAG 2.1 AA). Prints one JSON object with what it saw.
//
// Usage: node editor.mjs <one-time link> <good course file> <broken course file> <picture>
// The good file names the picture (by its file name), which is uploaded first.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [link, goodFile, brokenFile, pictureFile] = process.argv.slice(2);
const good = readFileSync(goodFile, "utf8");
const broken = readFileSync(brokenFile, "utf8");

const browser = await chromium.launch({
  executablePath: process.env.SZPON_CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
const seen = {};
try {
  // axe is added by the test only; the page itself allows no script but its own.
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const requests = [];
  page.on("request", (request) => requests.push(request.url()));
  // The link shows a button and is spent by pressing it, never by a GET (link previews).
  await page.goto(link);
  await page.evaluate(axeSource);
  const entryAxe = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  seen.entry_violations = entryAxe.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(" ")) }));
  await Promise.all([page.waitForURL((url) => url.pathname === "/kursy/edytor"), page.click("button[type=submit]")]);
  seen.url = new URL(page.url()).pathname;
  seen.title = await page.title();

  await page.fill("#zrodlo", broken);
  await page.waitForSelector("#wynik .blad");
  seen.errors = await page.textContent("#wynik");

  // The lesson's picture, uploaded; the list shows it.
  const pictureName = pictureFile.split("/").pop();
  await page.setInputFiles("#pliki", pictureFile);
  await page.waitForFunction((n) => document.querySelector("#lista-plikow").textContent.includes(n), pictureName);
  seen.files = await page.textContent("#lista-plikow");

  // Checked and previewed as typed: wait for this file's title in the result.
  const title = good.match(/^title: (.*)$/m)[1];
  await page.fill("#zrodlo", good);
  await page.waitForFunction((t) => document.querySelector("#wynik").textContent.includes(t), title);
  await page.waitForSelector("#podglad h3");
  seen.preview = await page.textContent("#podglad");

  await page.evaluate(axeSource);
  const axe = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  seen.violations = axe.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(" ")) }));

  await page.click("#opublikuj");
  await page.waitForFunction(() => document.querySelector("#wynik").textContent.includes("Opublikowano"));
  seen.published = await page.textContent("#wynik");
  seen.foreign = requests.filter((url) => !url.startsWith(new URL(link).origin));

  // The link was spent: a second visit shows the button, and pressing it is refused.
  const again = await (await browser.newContext()).newPage();
  await again.goto(link);
  const [response] = await Promise.all([
    again.waitForResponse((r) => r.request().method() === "POST"),
    again.click("button[type=submit]"),
  ]);
  seen.second_visit = response.status();
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));

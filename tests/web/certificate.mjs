// axe-core on the certificate check page, in Debian's headless Chromium: a genuine
// certificate's page and a wrong code's, which must both find nothing (WCAG 2.1 AA). Prints one
// JSON object: each address with its status and its violations.
//
// Usage: node certificate.mjs <address>...
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const browser = await chromium.launch({
  executablePath: process.env.SZPON_CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
const seen = {};
try {
  // axe is added by the test only; the page itself allows no script at all.
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  for (const address of process.argv.slice(2)) {
    const response = await page.goto(address);
    await page.evaluate(axeSource);
    const axe = await page.evaluate(() =>
      window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
    seen[address] = {
      status: response.status(),
      violations: axe.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(" ")) })),
    };
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));

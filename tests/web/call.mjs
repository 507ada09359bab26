// Two people in one video call, in Debian's headless Chromium with fake cameras: each spends
// their personal link, the first publishes, and the second must decode the first's video
// (RTCPeerConnection.getStats(): inbound-rtp video whose bytesReceived and framesDecoded grow
// between two reads). axe-core checks the link's page and the call page. Prints one JSON object.
//
// With "live" as the third argument, the call is a LIVE broadcast: the first person presents,
// the second only watches (no camera asked for) and sees the viewer count.
//
// Usage: node call.mjs <personal link of the first person> <personal link of the second> [live]
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [firstLink, secondLink, mode] = process.argv.slice(2);
const live = mode === "live";

const browser = await chromium.launch({
  executablePath: process.env.SZPON_CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--use-fake-device-for-media-stream",
         "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required"],
});

async function axe(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  return result.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(" ")) }));
}

// Every peer connection the page makes is kept where the test can read its statistics.
function keepPeerConnections() {
  const Original = window.RTCPeerConnection;
  window.__peerConnections = [];
  window.RTCPeerConnection = function (...args) {
    const connection = new Original(...args);
    window.__peerConnections.push(connection);
    return connection;
  };
  window.RTCPeerConnection.prototype = Original.prototype;
  Object.setPrototypeOf(window.RTCPeerConnection, Original);
}

async function enter(link, expected) {
  // axe is added by the test only; the page itself allows no script but its own.
  const context = await browser.newContext({ bypassCSP: true, permissions: ["camera", "microphone"] });
  const page = await context.newPage();
  await page.addInitScript(keepPeerConnections);
  const foreign = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.origin !== new URL(link).origin) foreign.push(request.url());
  });
  await page.goto(link);
  const entry = await axe(page);
  await page.click("button[type=submit]");
  await page.waitForFunction((text) => document.getElementById("status")?.textContent.includes(text),
    expected, { timeout: 20000 });
  return { page, entry, foreign };
}

async function inboundVideo(page) {
  return page.evaluate(async () => {
    let bytes = 0;
    let frames = 0;
    for (const connection of window.__peerConnections) {
      const stats = await connection.getStats();
      stats.forEach((report) => {
        if (report.type === "inbound-rtp" && report.kind === "video") {
          bytes += report.bytesReceived || 0;
          frames += report.framesDecoded || 0;
        }
      });
    }
    return { bytes, frames };
  });
}

const seen = {};
try {
  const first = await enter(firstLink, live ? "Nadajesz" : "Jesteś w rozmowie");
  const second = await enter(secondLink, live ? "Oglądasz transmisję" : "Jesteś w rozmowie");
  seen.entry_violations = first.entry;
  // The second person sees the first one's video.
  await second.page.waitForSelector("#videos figure:not(#feed-local) video", { timeout: 20000 });
  await second.page.waitForTimeout(2000);
  seen.before = await inboundVideo(second.page);
  await second.page.waitForTimeout(3000);
  seen.after = await inboundVideo(second.page);
  seen.captions = await second.page.$$eval("#videos figcaption", (captions) => captions.map((c) => c.textContent));
  seen.violations = await axe(second.page);
  if (live) {
    await second.page.waitForSelector("#viewers:not([hidden])", { timeout: 20000 });
    seen.viewers_line = await second.page.textContent("#viewers");
    seen.viewer_buttons = await second.page.$$eval(".controls button:not([hidden])", (buttons) => buttons.map((b) => b.id));
    seen.viewer_local_video = await second.page.$$eval("#feed-local", (figures) => figures.length);
  }
  // The microphone button says it is pressed once the microphone is off.
  await first.page.click("#mute");
  seen.muted = await first.page.getAttribute("#mute", "aria-pressed");
  // A reload comes back into the call (the spent link's seat), not to a refusal.
  await first.page.reload();
  await first.page.waitForFunction((text) => document.getElementById("status")?.textContent.includes(text),
    live ? "Nadajesz" : "Jesteś w rozmowie", { timeout: 20000 });
  seen.reloaded = true;
  seen.foreign = [...first.foreign, ...second.foreign];
  // The spent link does not work a second time.
  const again = await (await browser.newContext()).request.post(firstLink, { maxRedirects: 0 });
  seen.second_visit = again.status();
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));

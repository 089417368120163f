// The chat example's page in two headless Chromium tabs: both join one room, each sees
// the other arrive, and what one types appears in both. The server runs two loops.
// Usage: node chat_chromium.mjs BASE_HTTP_URL CHROMIUM   (run by chat_check.sh)
import puppeteer from "puppeteer-core";

const [base, chromium] = process.argv.slice(2);
let failures = 0;
const check = (ok, what, detail = "") => {
  console.log(`${ok ? "ok  " : "FAIL"}  ${what}${detail ? ": " + detail : ""}`);
  if (!ok) failures++;
};
const lines = (page) => page.$$eval("#log li", (items) => items.map((li) => li.textContent));
// Polled by interval: a tab in the background gets no animation frames to poll on.
const waitFor = (page, text) =>
  page.waitForFunction((t) => document.getElementById("log").textContent.includes(t),
                       { timeout: 15000, polling: 100 }, text);

async function join(browser, name) {
  const page = await browser.newPage();
  await page.bringToFront();
  await page.goto(`${base}/`, { waitUntil: "load", timeout: 30000 });
  await page.$eval("#room", (input) => { input.value = "lobby"; });
  await page.type("#name", name);
  await page.click("#join button");
  await waitFor(page, `${name} joined`);
  return page;
}

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
try {
  const ada = await join(browser, "ada");
  const bob = await join(browser, "bob");
  await waitFor(ada, "bob joined");
  check(true, "the first tab sees the second join");
  await ada.bringToFront();
  await ada.type("#text", "hello from ada");
  await ada.click("#say button");
  await bob.bringToFront();
  await bob.type("#text", "hi ada, bob here");
  await bob.click("#say button");
  for (const [page, name] of [[ada, "ada"], [bob, "bob"]]) {
    await waitFor(page, "ada: hello from ada");
    await waitFor(page, "bob: hi ada, bob here");
    check(true, `${name}'s tab shows both messages`, (await lines(page)).join(" | "));
  }
  await bob.close();
  await waitFor(ada, "bob left");
  check(true, "closing a tab is seen as leaving");
} catch (error) {
  check(false, "the chat in two tabs", String(error));
} finally {
  await browser.close();
}
process.exit(failures ? 1 : 0);

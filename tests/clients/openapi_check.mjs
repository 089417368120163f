// The demo's /openapi.json checked by a real OpenAPI 3.1 validator, and its /docs page
// driven in headless Chromium: the page loads, lists every operation of the document,
// and "Try it out" on GET /plaintext gets a 200 from the running server.
// Usage: node openapi_check.mjs BASE_URL CHROMIUM   (run by openapi_check.sh)
import { Validator } from "@seriousme/openapi-schema-validator";
import puppeteer from "puppeteer-core";

const [base, chromium] = process.argv.slice(2);
let failures = 0;
const check = (ok, what, detail = "") => {
  console.log(`${ok ? "ok  " : "FAIL"}  ${what}${detail ? ": " + detail : ""}`);
  if (!ok) failures++;
};

const response = await fetch(`${base}/openapi.json`);
const document = await response.json();
const validator = new Validator();
const result = await validator.validate(document);
check(result.valid, `openapi.json is valid OpenAPI ${validator.version}`, result.valid ? "" : JSON.stringify(result.errors).slice(0, 2000));

const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const operations = Object.values(document.paths).flatMap((item) => methods.filter((m) => m in item));
check(operations.length >= 10, `the document has ${operations.length} operations`);

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
try {
  const page = await browser.newPage();
  const outside = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith("data:")) outside.push(r.url());
  });
  await page.goto(`${base}/docs`, { waitUntil: "networkidle0", timeout: 30000 });
  await page.waitForSelector(".opblock", { timeout: 30000 });
  const shown = await page.$$eval(".opblock", (blocks) => blocks.length);
  check(shown === operations.length, `the page lists every operation`, `${shown} of ${operations.length}`);
  check(outside.length === 0, "nothing was fetched from outside the server", outside.join(" "));

  // Try it out: GET /plaintext.
  const block = await page.waitForSelector("#operations-default-get_plaintext");
  await (await block.$(".opblock-summary")).click();
  await page.waitForSelector("#operations-default-get_plaintext .try-out__btn");
  await page.click("#operations-default-get_plaintext .try-out__btn");
  await page.waitForSelector("#operations-default-get_plaintext .execute");
  await page.click("#operations-default-get_plaintext .execute");
  const status = await page.waitForSelector(
    "#operations-default-get_plaintext .live-responses-table .response .response-col_status",
    { timeout: 30000 },
  );
  const code = (await status.evaluate((e) => e.textContent)).trim();
  const body = await page.$eval("#operations-default-get_plaintext .live-responses-table .response-col_description pre",
    (e) => e.textContent);
  check(code === "200" && body.includes("Hello, World!"), "Try it out on GET /plaintext", `${code} ${body.trim()}`);
} finally {
  await browser.close();
}
process.exit(failures ? 1 : 0);

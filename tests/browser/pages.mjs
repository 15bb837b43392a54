// node tests/browser/pages.mjs <base url> <screenshot dir> <name>=<path>=<selector>…: opens each page, waits until
// the selector shows it rendered (Swagger UI's operations, Redoc's), saves <name>.png and prints JSON
// {pages: {name: {status, csp, permissions, rendered}}, probe, foreign, violations, errors}. The probe adds an
// inline script to the last page, which the Content-Security-Policy must refuse (and this script must notice).
import { join } from "node:path";
import { open } from "./browser.mjs";

const [baseUrl, directory, ...pages] = process.argv.slice(2);
const { context, page, foreign, violations } = await open(baseUrl);
const errors = [];
page.on("pageerror", (error) => errors.push(error.message));
const report = {};
let probe = null;
try {
  for (const entry of pages) {
    const [name, path, selector] = entry.split("=");
    const response = await page.goto(`${baseUrl}${path}`, { waitUntil: "load" });
    const headers = response.headers();
    let rendered = true;
    await page.waitForSelector(selector, { timeout: 30000 }).catch(() => (rendered = false));
    await page.waitForTimeout(500); // late requests (fonts, workers) report their violations
    report[name] = {
      status: response.status(),
      csp: headers["content-security-policy"] || null,
      permissions: headers["permissions-policy"] || null,
      rendered,
    };
    await page.screenshot({ path: join(directory, `page-${name}.png`) });
  }
  const before = violations.length;
  await page.addScriptTag({ content: "window.injected = true;" }).catch(() => {});
  await page.waitForTimeout(200);
  probe = { ran: await page.evaluate(() => window.injected === true), reported: violations.splice(before) };
} catch (error) {
  errors.push(String(error));
} finally {
  console.log(JSON.stringify({ pages: report, probe, foreign, violations, errors }));
  await context.close();
}

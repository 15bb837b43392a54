// Shared by the browser tests: Debian's headless Chromium through playwright-core, recording every request that
// goes to a host other than the server under test (and refusing it, so the page cannot depend on it), and every
// Content-Security-Policy violation Chromium reports (what the page tried and the policy refused).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export async function open(baseUrl) {
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "chromium-")), {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync",
    ],
  });
  const origin = new URL(baseUrl).origin;
  const foreign = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  context.on("weberror", (error) => foreign.push(`page error: ${error.error().message}`));
  const violations = [];
  context.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) violations.push(`${message.page()?.url()}: ${message.text()}`);
  });
  await context.addInitScript(() =>
    document.addEventListener("securitypolicyviolation", (event) =>
      console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`),
    ),
  );
  const page = context.pages()[0] || (await context.newPage());
  return { context, page, foreign, violations };
}

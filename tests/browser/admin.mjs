// node tests/browser/admin.mjs <base url> <username> <password> <screenshot dir> <name>=<path>…: logs into the
// admin, opens each page in a 1,400 px wide window, saves a full-page screenshot <name>.png and prints JSON
// {pages: {name: {status, width, overflowing, rows}}, foreign, errors}: the page's scroll width, the elements
// wider than the window, and the text of the first row of each inline.
import { join } from "node:path";
import { open } from "./browser.mjs";

const [baseUrl, username, password, directory, ...pages] = process.argv.slice(2);
const { context, page, foreign, violations } = await open(baseUrl);
const errors = [];
page.on("pageerror", (error) => errors.push(error.message));
const report = {};
try {
  await page.goto(`${baseUrl}/admin/login/`);
  await page.fill("#id_username", username);
  await page.fill("#id_password", password);
  await Promise.all([page.waitForNavigation(), page.click("input[type=submit]")]);
  for (const entry of pages) {
    const [name, path] = entry.split(/=(.*)/s);
    const response = await page.goto(`${baseUrl}${path}`, { waitUntil: "load" });
    await page.waitForTimeout(300); // select2 widgets settle
    report[name] = await page.evaluate(() => {
      const width = document.documentElement.scrollWidth;
      const overflowing = [...document.querySelectorAll("#content *")]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`);
      const inlines = {};
      for (const group of document.querySelectorAll(".inline-group")) {
        const heading = group.querySelector("h2")?.textContent.trim() || group.id;
        const rows = [...group.querySelectorAll("tr.form-row.has_original, .inline-related.has_original")];
        inlines[heading] = rows.slice(0, 3).map((row) => row.innerText.replace(/\s+/g, " ").trim());
      }
      const fields = [...document.querySelectorAll("fieldset .form-row [name]")]
        .map((el) => el.getAttribute("name"))
        .filter((name) => !name.startsWith("_") && name !== "csrfmiddlewaretoken");
      const chips = [...document.querySelectorAll(".select2-selection__choice")].map((chip) => chip.innerText.trim());
      return { width, overflowing, inlines, fields, chips };
    });
    report[name].status = response.status();
    await page.screenshot({ path: join(directory, `admin-${name}.png`), fullPage: true });
  }
} catch (error) {
  errors.push(String(error));
} finally {
  console.log(JSON.stringify({ pages: report, foreign, violations, errors }));
  await context.close();
}

// node tests/browser/graphiql.mjs <base url> <screenshot.png>: opens GraphiQL at /graphql/, runs its example
// query, prints JSON {answer, shown, foreign, errors}: the server's answer to GraphiQL's query, what GraphiQL shows
// of it, the requests to other hosts, the errors.
import { open } from "./browser.mjs";

const [baseUrl, screenshot] = process.argv.slice(2);
const { context, page, foreign, violations } = await open(baseUrl);
const errors = [];
page.on("pageerror", (error) => errors.push(error.message));
let answer = null;
page.on("response", async (response) => {
  const request = response.request();
  if (request.method() === "POST" && (request.postData() || "").includes("us-28-point-plan")) {
    answer = await response.json();
  }
});
try {
  await page.goto(`${baseUrl}/graphql/`, { waitUntil: "load" });
  await page.waitForSelector(".graphiql-query-editor .CodeMirror", { timeout: 30000 });
  await page.click(".graphiql-execute-button");
  await page.waitForFunction(
    () => (document.querySelector(".result-window")?.innerText || "").includes('"title"'),
    null,
    { timeout: 30000 },
  );
  const shown = await page.locator(".result-window").innerText();
  await page.screenshot({ path: screenshot });
  console.log(JSON.stringify({ answer, shown, foreign, violations, errors }));
} catch (error) {
  await page.screenshot({ path: screenshot }).catch(() => {});
  console.log(JSON.stringify({ answer, shown: null, foreign, violations, errors: [...errors, String(error)] }));
} finally {
  await context.close();
}

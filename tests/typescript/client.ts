// A TypeScript program using the client generated from openapi/openapi.yaml (openapi-typescript types +
// openapi-fetch), type-checked in strict mode, run by tests/rest/test_typescript_client.py against a live server:
// the three tasks of the Python client test. Prints what it found as JSON.
import createClient from "openapi-fetch";
import type { components, paths } from "./build/schema.js";

type ClauseBrief = components["schemas"]["ClauseBrief"];

const PLAN = "us-28-point-plan";
const REVISED = "us-ukraine-revised-framework";
const baseUrl = process.argv[2];
if (!baseUrl) throw new Error("usage: node client.js <base url>");
const client = createClient<paths>({ baseUrl });

function answer<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) {
    throw new Error(`${result.response.status} from ${result.response.url}: ${JSON.stringify(result.error)}`);
  }
  return result.data;
}

// 1. The 28-point plan's clauses on a topic.
const page = answer(
  await client.GET("/api/v1/clauses/", {
    params: { query: { proposal: [PLAN], topic: ["alliances-and-nato"], page_size: 100 } },
  }),
);
const clauses = page.results.map((clause) => ({ slug: clause.slug, number: clause.number, topics: clause.topics }));

// 2. One clause's history: its lineage and every party's stance timeline.
const history = answer(
  await client.GET("/api/v1/clauses/{slug}/history/", { params: { path: { slug: `${PLAN}-07` } } }),
);
const versions = history.versions.map((version) => version.slug);
const lineage = history.lineage.map((link) => ({ clause: link.clause.slug, change: link.change }));
const positions: string[] = history.stances.flatMap((party) => party.timeline.map((entry) => entry.slug));

// 3. The diff between the two plans.
const diff = answer(
  await client.GET("/api/v1/proposals/{slug}/diff/", {
    params: { path: { slug: REVISED }, query: { against: PLAN } },
  }),
);
const slugs = (briefs: readonly ClauseBrief[]): string[] => briefs.map((brief) => brief.slug);
const changes = diff.changes.map((change) => ({
  change: change.change,
  old: slugs(change.old_clauses),
  new: slugs(change.new_clauses),
}));

// An error is a problem details document, typed as such.
const missing = await client.GET("/api/v1/proposals/{slug}/diff/", {
  params: { path: { slug: REVISED }, query: { against: "no-such-plan" } },
});
const problem = { status: missing.response.status, detail: missing.error?.detail ?? null };

console.log(
  JSON.stringify({
    count: page.count,
    clauses,
    history: { clause: history.clause.slug, versions, lineage, positions },
    diff: { old: diff.old.slug, new: diff.new.slug, counts: diff.counts, changes },
    problem,
  }),
);

#!/usr/bin/env node
// Audits a running GraphQL endpoint against the GraphQL-over-HTTP spec with graphql-http's server audits.
//
//   node scripts/graphql-http-audit.mjs http://127.0.0.1:8000/graphql/
//
// Prints one line per audit. Exits 1 if any MUST audit fails (SHOULD and MAY failures are only reported),
// 2 on a usage error. With --json, prints the results as JSON instead.
import { auditServer } from 'graphql-http';

const args = process.argv.slice(2);
const json = args.includes('--json');
const url = args.find((arg) => !arg.startsWith('--'));
if (!url) {
  console.error('usage: node scripts/graphql-http-audit.mjs [--json] <graphql endpoint url>');
  process.exit(2);
}

const results = await auditServer({ url });
const failedMusts = results.filter((result) => result.status === 'error');

if (json) {
  const plain = results.map(({ id, name, status, reason }) => ({ id, name, status, reason: reason ?? null }));
  console.log(JSON.stringify(plain, null, 2));
} else {
  const marks = { ok: 'ok  ', notice: 'MAY ', warn: 'WARN', error: 'FAIL' };
  for (const result of results) {
    console.log(`${marks[result.status]} ${result.id} ${result.name}${result.reason ? ` — ${result.reason}` : ''}`);
  }
  const count = (status) => results.filter((result) => result.status === status).length;
  console.log(
    `\n${count('ok')} passed, ${failedMusts.length} MUST failed, ${count('warn')} SHOULD failed, ${count('notice')} MAY failed`,
  );
}
process.exit(failedMusts.length ? 1 : 0);

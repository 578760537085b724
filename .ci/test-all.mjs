#!/usr/bin/env node
// Runs every workspace package's tests, one package at a time, and goes on after a failure:
// pnpm's own recursive run skips the packages that depend on a failed one, so one red package
// would hide the results of the server, the console and the end-to-end suites. Exit 1 at the end
// if any failed, with a summary of which.
import { spawnSync } from 'node:child_process';

// Cheap and independent first; the end-to-end suites (which need every build) last.
const PACKAGES = ['@parley/schema', '@parley/server', '@parley/widgets', '@parley/console', '@parley/example-news-site', '@parley/example-recipes', '@parley/example-cluster', '@parley/tests'];

const results = [];
for (const name of PACKAGES) {
  const started = Date.now();
  console.log(`\n=== ${name}: test`);
  const run = spawnSync('pnpm', ['--filter', name, '--if-present', 'run', 'test'], { stdio: 'inherit' });
  results.push({ name, ok: run.status === 0, seconds: Math.round((Date.now() - started) / 1000) });
}
console.log('\n=== summary');
for (const result of results) console.log(`${result.ok ? 'ok  ' : 'FAIL'} ${result.name} (${result.seconds} s)`);
const failed = results.filter((result) => !result.ok);
console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length > 0 ? 1 : 0);

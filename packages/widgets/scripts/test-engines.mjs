// Runs the widget suite once per engine named in PARLEY_BROWSERS (default chromium), one after the
// other. Each run starts its own Parley test servers: two engines sharing one server would share
// its per-IP rate limits and duplicate-comment memory, and one engine's posts would fail the other's.
import { spawnSync } from 'node:child_process';

const engines = (process.env.PARLEY_BROWSERS ?? 'chromium').split(',').map((name) => name.trim()).filter(Boolean);
let failed = 0;
for (const engine of engines) {
  console.log(`\n--- widget suite in ${engine}`);
  const run = spawnSync('web-test-runner', process.argv.slice(2), { stdio: 'inherit', shell: false, env: { ...process.env, PARLEY_BROWSERS: engine } });
  if (run.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);

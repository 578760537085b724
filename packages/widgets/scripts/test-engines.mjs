// Runs the widget suite once per engine named in PARLEY_BROWSERS (default chromium), one after the
// other. Each run starts its own Parley test servers: two engines sharing one server would share
// its per-IP rate limits and duplicate-comment memory, and one engine's posts would fail the other's.
// WebKit needs a display and a driver (scripts/webkit-driver.mjs): they are started here, outside
// web-test-runner, so that they are stopped even when the run crashes or is interrupted.
import { spawn } from 'node:child_process';
import { startWebKitDriver } from './webkit-driver.mjs';

const engines = (process.env.PARLEY_BROWSERS ?? 'chromium').split(',').map((name) => name.trim()).filter(Boolean);
let failed = 0;
for (const engine of engines) {
  console.log(`\n--- widget suite in ${engine}`);
  const started = Date.now();
  const env = { ...process.env, PARLEY_BROWSERS: engine };
  const driver = engine === 'webkit' ? await startWebKitDriver() : undefined;
  if (driver) env.PARLEY_WEBKIT_DRIVER = driver.url;
  const run = spawn('web-test-runner', process.argv.slice(2), { stdio: 'inherit', env });
  // Ctrl-C or a CI timeout: the driver has its own process group (so that stopping it ends the
  // browser it started), so no signal reaches it unless it is stopped here.
  const interrupted = () => {
    run.kill('SIGTERM');
    driver?.stop();
    process.exit(130);
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  try {
    const code = await new Promise((resolve) => {
      run.once('exit', resolve);
      run.once('error', (error) => resolve(console.error(error.message) ?? 1));
    });
    if (code !== 0) failed++;
  } finally {
    driver?.stop();
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
  }
  console.log(`--- ${engine}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
process.exit(failed > 0 ? 1 : 0);

// Runs src/**/*.test.ts in the system Chromium against a REAL Parley server started here,
// on a free port with a throwaway SQLite file. Tests read its URL and admin token from
// `window.PARLEY_TEST`.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';

const here = fileURLToPath(new URL('.', import.meta.url));
const serverDir = join(here, '../server');

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The sites of the second server, for the moderation tests and bulk posting (a sites file makes a
 * server strict: only these ids exist, so the first server stays permissive for every other test).
 */
const CONFIGURED_SITES = [
  // Every comment waits for approval.
  { id: 'held', moderation: 'all', minFillSeconds: 0 },
  // Honeypot, a 2 s minimum fill time and at most one link.
  { id: 'gated', minFillSeconds: 2, maxLinks: 1, duplicateWindowSeconds: 0 },
  // Two comments per IP an hour.
  { id: 'limited', minFillSeconds: 0, rateLimits: { perIp: { max: 2, windowSeconds: 3600 } } },
  // Open, for reports (flags).
  { id: 'default', minFillSeconds: 0, flagsToQueue: 1 },
  // For tests that need many comments fast: no fill time, no duplicate check, limits out of reach.
  {
    id: 'bulk',
    minFillSeconds: 0,
    duplicateWindowSeconds: 0,
    rateLimits: Object.fromEntries(['perIp', 'perAuthor', 'perPage'].map((key) => [key, { max: 1_000_000, windowSeconds: 1 }])),
  },
];

async function startParley(sites) {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-widgets-'));
  if (sites) writeFileSync(join(dataDir, 'sites.json'), JSON.stringify({ sites }));
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: {
      ...process.env,
      NO_COLOR: '1',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${join(dataDir, 'parley.sqlite')}`,
      PARLEY_ADMIN_TOKEN: token,
      PARLEY_EMBED_FILE: join(here, 'dist/embed.js'),
      ...(sites ? { PARLEY_CONFIG: join(dataDir, 'sites.json') } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));

  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null) child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      stop();
      process.exit(130);
    });
  }

  const deadline = Date.now() + 60_000;
  while (true) {
    if (child.exitCode !== null) {
      stop();
      throw new Error(`The Parley server exited (${child.exitCode}) before it was healthy:\n${output}`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      stop();
      throw new Error(`The Parley server did not become healthy within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, token, stop };
}

const [parley, configured] = await Promise.all([startParley(), startParley(CONFIGURED_SITES)]);

export default {
  rootDir: join(here, '../..'),
  files: ['src/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  // The default site makes a form wait out its 3 s minimum fill time before posting: a file of form tests takes minutes.
  testsFinishTimeout: 300_000,
  testFramework: { config: { timeout: 10_000 } },
  // Lit's dev build is what tests load (it warns about misuse); its banner is noise.
  filterBrowserLogs: ({ args }) => !String(args[0]).includes('Lit is in dev mode'),
  middleware: [
    // Article images in the related tests are root-relative paths on the page's own site.
    (ctx, next) => {
      if (!ctx.path.startsWith('/images/')) return next();
      ctx.type = 'image/svg+xml';
      ctx.body = '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="9"><rect width="16" height="9" fill="#9ab"/></svg>';
    },
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
        headless: true,
        args: [
          '--no-sandbox',
          '--headless=new',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--disable-quic',
        ],
      },
    }),
  ],
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: join(here, 'tsconfig.json') }),
    { name: 'parley-server', serverStop: () => (parley.stop(), configured.stop()) },
  ],
  testRunnerHtml: (testFramework) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <script>window.PARLEY_TEST = ${JSON.stringify({ server: parley.url, token: parley.token, configured: configured.url, configuredToken: configured.token })};</script>
  </head>
  <body>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
};

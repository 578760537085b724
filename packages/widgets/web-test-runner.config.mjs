// Runs src/**/*.test.ts in the system Chromium against a REAL Parley server started here,
// on a free port with a throwaway SQLite file. Tests read its URL and admin token from
// `window.PARLEY_TEST`.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { CHROMIUM_ARGS, CHROMIUM_PATH, startTestServer } from '../server/testing/test-server.mjs';
import { startWebKitDriver, webkitCapabilities } from './scripts/webkit-driver.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));

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

/** Processes this run started for its engines (WebKit's Xvfb and driver), stopped with the run. */
const engineStops = [];

/**
 * The engines the suite can run in (PARLEY_BROWSERS=chromium,firefox,webkit; default chromium),
 * all Debian's own builds (TOOLCHAIN.md trap 11): nothing is downloaded. Firefox is driven by the
 * same launcher's puppeteer-core over WebDriver BiDi; WebKit (MiniBrowser) by WebKitWebDriver over
 * classic WebDriver, one page navigated from test file to test file (concurrency 1).
 */
const ENGINES = {
  chromium: () => chromeLauncher({ launchOptions: { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS } }),
  firefox: () => {
    const launcher = chromeLauncher({
      launchOptions: { browser: 'firefox', executablePath: process.env.FIREFOX_PATH || '/usr/bin/firefox-esr', headless: true },
    });
    launcher.name = 'Firefox';
    return launcher;
  },
  webkit: async () => {
    // scripts/test-engines.mjs starts the driver (and stops it even when the run crashes);
    // a direct `web-test-runner` run starts its own.
    let url = process.env.PARLEY_WEBKIT_DRIVER;
    if (!url) {
      const driver = await startWebKitDriver();
      engineStops.push(driver.stop);
      url = driver.url;
    }
    // Loaded only for WebKit: webdriverio is a large import the other engines do not need.
    const { webdriverLauncher } = await import('@web/test-runner-webdriver');
    const launcher = webdriverLauncher({ logLevel: 'error', ...webkitCapabilities(url) });
    // The launcher labels itself from the capabilities; the summary says the engine.
    const initialize = launcher.initialize.bind(launcher);
    launcher.initialize = async (...args) => {
      await initialize(...args);
      launcher.name = 'WebKit';
    };
    return launcher;
  },
};

/** The writing tools' module answers 503 while a test says so (the middleware below). */
let writerDown = false;

const embed = { PARLEY_EMBED_FILE: join(here, 'dist/embed.js') };
const [parley, configured] = await Promise.all([
  startTestServer({ name: 'widgets', env: embed }),
  startTestServer({ name: 'widgets-sites', sites: CONFIGURED_SITES, env: embed }),
]);

export default {
  rootDir: join(here, '../..'),
  files: ['src/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  // Firefox's first start makes a profile: over 30 s on a busy 2-core machine.
  browserStartTimeout: 120_000,
  // The default site makes a form wait out its 3 s minimum fill time before posting: a file of form tests takes minutes.
  testsFinishTimeout: 300_000,
  // PARLEY_TEST_GREP runs only the tests whose titles match (mocha's grep), for quick local runs.
  // A deadline, not a wait: a form test waits out the 3 s fill time, sometimes twice, and a busy
  // 2-core CI machine running Firefox or WebKit needs the room.
  testFramework: { config: { timeout: 20_000, ...(process.env.PARLEY_TEST_GREP ? { grep: process.env.PARLEY_TEST_GREP } : {}) } },
  // Lit's dev build is what tests load (it warns about misuse); its banner is noise.
  filterBrowserLogs: ({ args }) => !String(args[0]).includes('Lit is in dev mode'),
  middleware: [
    // `POST /__parley/writer-network?down=1` takes the writing tools' module off the network (and
    // `down=0` brings it back): its import then fails as a network blip, a blocker or a chunk a
    // deploy replaced makes it fail (comments-writer-load.test.ts). One engine runs at a time.
    (ctx, next) => {
      if (ctx.path === '/__parley/writer-network') {
        writerDown = ctx.query.down === '1';
        ctx.body = '';
        return undefined;
      }
      if (!ctx.path.endsWith('/src/components/comments/writer.ts')) return next();
      // The runner's cache middleware marks every file `max-age=31536000` once this one is done:
      // this module must not be kept, or a copy an earlier test file loaded (or a failure) would
      // be all the browser sees.
      const setHeader = ctx.res.setHeader.bind(ctx.res);
      ctx.res.setHeader = (name, value) => setHeader(name, name.toLowerCase() === 'cache-control' ? 'no-store' : value);
      if (!writerDown) return next();
      ctx.status = 503;
      ctx.body = '';
      return undefined;
    },
    // Article images in the related tests are root-relative paths on the page's own site.
    (ctx, next) => {
      if (!ctx.path.startsWith('/images/')) return next();
      ctx.type = 'image/svg+xml';
      ctx.body = '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="9"><rect width="16" height="9" fill="#9ab"/></svg>';
    },
  ],
  browsers: await Promise.all(
    (process.env.PARLEY_BROWSERS ?? 'chromium').split(',').map((name) => {
      if (!Object.hasOwn(ENGINES, name.trim())) throw new Error(`PARLEY_BROWSERS: no engine "${name}" (${Object.keys(ENGINES)})`);
      return ENGINES[name.trim()]();
    }),
  ),
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: join(here, 'tsconfig.json') }),
    { name: 'parley-server', serverStop: () => Promise.all([parley.stop(), configured.stop(), ...engineStops.map((stop) => stop())]) },
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

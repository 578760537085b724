// Runs src/**/*.test.ts in the system Chromium against a REAL Parley server started here, on a
// free port with a throwaway SQLite file, a sites file and an admin made from
// PARLEY_ADMIN_EMAIL/PARLEY_ADMIN_PASSWORD. In production the console is same-origin with the
// API (/admin beside /api); here the test page's origin forwards /api/* to the real server so the
// session cookie (SameSite=Strict, HttpOnly) and the CSRF header work exactly as they do there.
// Tests read the server's URL, the admin's credentials and the bearer token from `window.PARLEY_TEST`.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { CHROMIUM_ARGS, CHROMIUM_PATH, freePort, startTestServer } from '../server/testing/test-server.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));

/** `console-test`: every comment waits for approval, one flag queues, a webhook that always fails. */
function consoleSites(deadPort) {
  const loose = { perIp: { max: 10_000, windowSeconds: 60 }, perAuthor: { max: 10_000, windowSeconds: 60 }, perPage: { max: 10_000, windowSeconds: 60 } };
  return [
    {
      id: 'console-test',
      moderation: 'all',
      flagsToQueue: 1,
      honeypot: false,
      minFillSeconds: 0,
      duplicateWindowSeconds: 0,
      maxLinks: 10,
      rateLimits: loose,
      webhooks: [{ url: `http://127.0.0.1:${deadPort}/hook`, secret: 'console-test-webhook-secret' }],
    },
    { id: 'default', honeypot: false, minFillSeconds: 0, duplicateWindowSeconds: 0, rateLimits: loose },
  ];
}

const admin = { email: 'console-admin@parley.test', password: randomBytes(12).toString('base64url') };
const parley = {
  admin,
  ...(await startTestServer({
    name: 'console',
    sites: consoleSites(await freePort()),
    env: { PARLEY_ADMIN_EMAIL: admin.email, PARLEY_ADMIN_PASSWORD: admin.password, PARLEY_CONSOLE_DIR: join(here, 'dist') },
  })),
};

/** Forwards `/api/*` from the test page's origin to the real server, as a same-origin deployment would see it. */
async function forwardApi(ctx, next) {
  if (!ctx.path.startsWith('/api/')) return next();
  const headers = new Headers();
  for (const [name, value] of Object.entries(ctx.headers)) {
    if (['host', 'connection', 'content-length', 'accept-encoding'].includes(name) || value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  // The page and the API share an origin here as in production; say so in the server's terms.
  if (headers.has('origin')) headers.set('origin', parley.url);
  const chunks = [];
  for await (const chunk of ctx.req) chunks.push(chunk);
  let response;
  try {
    response = await fetch(`${parley.url}${ctx.url}`, {
      method: ctx.method,
      headers,
      ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
      redirect: 'manual',
      // A request the server never answers fails the test that made it, not the whole run.
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    ctx.status = 504;
    ctx.body = { error: { code: 'gateway_timeout', message: `${ctx.method} ${ctx.path}: no answer from the server (${error.message})` } };
    return;
  }
  ctx.status = response.status;
  for (const [name, value] of response.headers) {
    if (['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'set-cookie'].includes(name)) continue;
    ctx.set(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length) ctx.set('set-cookie', cookies);
  ctx.body = Buffer.from(await response.arrayBuffer());
}

export default {
  rootDir: join(here, '../..'),
  files: ['src/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  testsFinishTimeout: 300_000,
  testFramework: { config: { timeout: 15_000 } },
  filterBrowserLogs: ({ args }) => !String(args[0]).includes('Lit is in dev mode'),
  middleware: [forwardApi],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS },
    }),
  ],
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: join(here, 'tsconfig.json') }),
    { name: 'parley-server', serverStop: () => parley.stop() },
  ],
  testRunnerHtml: (testFramework) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Parley console tests</title>
    <script>window.PARLEY_TEST = ${JSON.stringify({ server: parley.url, token: parley.token, admin: parley.admin })};</script>
  </head>
  <body>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
};

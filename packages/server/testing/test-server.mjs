// A REAL Parley server for browser test runs (widgets, console): a child process on a free
// port with a throwaway SQLite file, stopped with the run. Plain JS so that
// web-test-runner configs can import it without a TypeScript loader.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const serverDir = fileURLToPath(new URL('..', import.meta.url));

/** Debian Chromium as root in a closed network (TOOLCHAIN.md). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless=new',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export function freePort() {
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
 * Starts the server from its sources and waits until /healthz answers.
 * @param {{ name: string, sites?: object[], env?: Record<string, string> }} options
 *   `sites` becomes a PARLEY_CONFIG file (which makes the server know only those site ids);
 *   `env` adds or overrides variables (embed file, console dir, admin account…).
 * @returns {Promise<{ url: string, token: string, dataDir: string, stop(): Promise<void> }>}
 */
export async function startTestServer({ name, sites, env = {} }) {
  const dataDir = mkdtempSync(join(tmpdir(), `parley-${name}-`));
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
      ...(sites ? { PARLEY_CONFIG: join(dataDir, 'sites.json') } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));

  // At process exit there is no time to wait: the child is killed outright.
  const kill = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  };
  let stopping;
  // After the run: a graceful stop, forced when a stuck request holds the server open over 3 s.
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    })());
  process.once('exit', kill);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      kill();
      process.exit(130);
    });
  }

  const deadline = Date.now() + 60_000;
  while (true) {
    if (child.exitCode !== null) {
      kill();
      throw new Error(`The Parley server exited (${child.exitCode}) before it was healthy:\n${output}`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      kill();
      throw new Error(`The Parley server did not become healthy within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, token, dataDir, stop };
}

// WebKit for the widget suite: Debian's WebKitWebDriver driving MiniBrowser (TOOLCHAIN.md trap 11).
// MiniBrowser has no headless mode, so it gets its own Xvfb display. Both run in their own process
// groups so that stopping them also ends the MiniBrowser and WebKit helper processes they start.
import { spawn } from 'node:child_process';
import { freePort } from '../../server/testing/test-server.mjs';

export const MINIBROWSER_PATH = process.env.MINIBROWSER_PATH || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** The webdriverio options for a WebKitWebDriver at `url` (the driver speaks no BiDi: classic only). */
export function webkitCapabilities(url) {
  const { hostname, port } = new URL(url);
  return {
    hostname,
    port: Number(port),
    path: '/',
    capabilities: {
      browserName: 'MiniBrowser',
      'wdio:enforceWebDriverClassic': true,
      'webkitgtk:browserOptions': { binary: MINIBROWSER_PATH, args: ['--automation'] },
    },
  };
}

function startGroup(command, args, options) {
  const child = spawn(command, args, { detached: true, ...options });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const kill = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', kill);
  return { child, kill, output: () => output };
}

/** Xvfb on a display it picks itself (-displayfd: no guessing at free numbers, no TCP). */
async function startXvfb() {
  const xvfb = startGroup('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  const display = await new Promise((resolve, reject) => {
    let text = '';
    xvfb.child.stdio[3].on('data', (chunk) => {
      text += chunk;
      if (text.includes('\n')) resolve(`:${text.trim()}`);
    });
    xvfb.child.once('error', reject);
    xvfb.child.once('exit', (code) => reject(new Error(`Xvfb exited (${code}):\n${xvfb.output()}`)));
  });
  return { ...xvfb, display };
}

/**
 * Starts Xvfb and WebKitWebDriver and waits until the driver answers /status.
 * @returns {Promise<{ url: string, stop(): void }>}
 */
export async function startWebKitDriver() {
  const xvfb = await startXvfb();
  const port = await freePort();
  const driver = startGroup('WebKitWebDriver', [`--port=${port}`, '--host=127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DISPLAY: xvfb.display },
  });
  const stop = () => {
    driver.kill();
    xvfb.kill();
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (true) {
    if (driver.child.exitCode !== null || Date.now() > deadline) {
      stop();
      throw new Error(`WebKitWebDriver did not start on ${url}:\n${driver.output()}`);
    }
    try {
      if ((await fetch(`${url}/status`)).ok) return { url, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
// Debian's Chromium (nothing is downloaded) and the flags from TOOLCHAIN.md, shared with the
// widgets' and console's test runners.
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../packages/server/testing/test-server.mjs';

export { CHROMIUM_PATH };

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install chromium (or set CHROMIUM_PATH)`);
  }
  // playwright adds its own headless switch; the rest are the flags every browser test here uses.
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS.filter((arg) => !arg.startsWith('--headless')),
  });
}

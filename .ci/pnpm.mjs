#!/usr/bin/env node
// Runs the pinned pnpm with this machine's quirks handled, so that `npm run demo` and
// `npm test` work on a fresh machine that has only Node 20 and npm.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PNPM_VERSION = '12.4.2';
const env = { ...process.env };

// better-sqlite3 compiles from source when its prebuilt binary cannot be downloaded; node-gyp
// then needs Node's headers, which Debian's nodejs ships under /usr (pnpm ignores .npmrc's nodedir).
if (!env.npm_config_nodedir && existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr';

const installed = spawnSync('pnpm', ['--version'], { encoding: 'utf8', env });
const useGlobal = installed.status === 0 && installed.stdout.trim() === PNPM_VERSION;
const [command, prefix] = useGlobal
  ? ['pnpm', []]
  : ['npm', ['exec', '--yes', `--package=pnpm@${PNPM_VERSION}`, '--', 'pnpm']];

const result = spawnSync(command, [...prefix, ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(result.status ?? 1);

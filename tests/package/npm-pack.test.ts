/**
 * `npm pack` / `npm publish` of a workspace package would make a tarball that installs and then
 * fails to import (`exports` pointing at src/*.ts: npm ignores `publishConfig.exports`, and
 * `workspace:*` versions stay unresolved). Each package's prepack refuses, naming the pnpm command
 * that packs it correctly (tarball.test.ts installs what that command makes).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PACKAGES, ROOT, run } from './install.ts';

describe('npm pack of a workspace package', () => {
  for (const name of PACKAGES) {
    it(`refuses @parley/${name} with the pnpm command to use, and writes no tarball`, async () => {
      const destination = mkdtempSync(path.join(tmpdir(), 'parley-npm-pack-'));
      try {
        // Run under pnpm (as in CI), npm inherits pnpm's user agent: the guard must still see npm.
        const failure = await run('npm', ['pack', '--pack-destination', destination], { cwd: path.join(ROOT, 'packages', name), env: { npm_config_user_agent: 'pnpm/12.4.2 npm/? node/v20.20.2 linux x64', npm_execpath: '/usr/lib/node_modules/pnpm/bin/pnpm.cjs' } }).then(
          (output) => assert.fail(`npm pack succeeded:\n${output}`),
          (error: Error) => error.message,
        );
        assert.match(failure, new RegExp(`node \\.ci/pnpm\\.mjs --filter @parley/${name} pack`));
        assert.deepEqual(readdirSync(destination), []);
      } finally {
        rmSync(destination, { recursive: true, force: true });
      }
    });
  }

  it('is allowed under pnpm (the guard reads its user agent)', async () => {
    const output = await run(process.execPath, [path.join(ROOT, '.ci/require-pnpm-pack.mjs')], { cwd: ROOT, env: { npm_config_user_agent: 'pnpm/12.4.2 npm/? node/v20.20.2 linux x64', npm_execpath: '/root/.npm/_npx/f64b4edc612fabde/node_modules/pnpm/pnpm' } });
    assert.equal(output, '');
    assert.ok(existsSync(path.join(ROOT, '.ci/pnpm.mjs')), 'the command the message names exists');
  });
});

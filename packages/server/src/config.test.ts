import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  test('defaults', () => {
    const config = loadConfig({}, { cwd: '/srv/site' });
    assert.equal(config.port, 8787);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.databaseUrl, `file:${path.join('/srv/site', 'data', 'parley.sqlite')}`);
    assert.equal(config.adminToken, undefined);
    assert.match(config.embedFile, /widgets[/\\]dist[/\\]embed\.js$/);
  });

  test('explicit values', () => {
    const config = loadConfig({ PORT: '0', HOST: '0.0.0.0', DATABASE_URL: 'postgres://db/parley', PARLEY_ADMIN_TOKEN: 's', PARLEY_EMBED_FILE: 'x/embed.js' }, { cwd: '/srv' });
    assert.deepEqual(config, { port: 0, host: '0.0.0.0', databaseUrl: 'postgres://db/parley', adminToken: 's', embedFile: '/srv/x/embed.js' });
  });

  test('invalid values name the key', () => {
    assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT/);
    assert.throws(() => loadConfig({ PORT: '70000' }), /PORT/);
    assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL/);
  });
});

describe('loadConfig: comments keys', () => {
  test('secret, edit window and proxy trust are present only when set', () => {
    const unset = loadConfig({}, { cwd: '/srv' });
    assert.equal('secret' in unset || 'editWindowSeconds' in unset || 'trustProxy' in unset, false);
    const set = loadConfig({ PARLEY_SECRET: 'k', PARLEY_EDIT_WINDOW_SECONDS: '60', PARLEY_TRUST_PROXY: 'true' }, { cwd: '/srv' });
    assert.deepEqual([set.secret, set.editWindowSeconds, set.trustProxy], ['k', 60, true]);
    assert.equal(loadConfig({ PARLEY_TRUST_PROXY: 'false' }).trustProxy, undefined);
    assert.throws(() => loadConfig({ PARLEY_EDIT_WINDOW_SECONDS: '-1' }), /PARLEY_EDIT_WINDOW_SECONDS/);
    assert.throws(() => loadConfig({ PARLEY_TRUST_PROXY: 'yes' }), /PARLEY_TRUST_PROXY/);
  });
});

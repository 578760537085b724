import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Hono } from 'hono';
import { loadConfig } from '../config.ts';
import { clientAddress, clientAddressMiddleware, parseTrustProxy, type TrustProxy } from './client-address.ts';

/** What the app would see for a request from `peer` carrying `forwardedFor`. */
async function seen(trust: TrustProxy, peer: string | undefined, forwardedFor?: string): Promise<string> {
  const app = new Hono().use(clientAddressMiddleware(trust)).get('/', (c) => c.text(clientAddress(c)));
  const env = peer === undefined ? undefined : { incoming: { socket: { remoteAddress: peer } } };
  const response = await app.request('/', { headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }, env);
  return response.text();
}

describe('the client address', () => {
  test('no trusted proxy: the socket peer, whatever X-Forwarded-For says', async () => {
    assert.equal(await seen(false, '203.0.113.7', '198.51.100.1'), '203.0.113.7');
  });

  test('true is one hop: the right-most X-Forwarded-For entry, not the left-most the client wrote', async () => {
    // The client sent "X-Forwarded-For: 6.6.6.6"; our proxy (10.0.0.2) appended the real peer.
    assert.equal(await seen(true, '10.0.0.2', '6.6.6.6, 203.0.113.7'), '203.0.113.7');
    assert.equal(await seen(true, '10.0.0.2'), '10.0.0.2');
  });

  test('a hop count trusts that many proxies from the right', async () => {
    assert.equal(await seen(2, '10.0.0.2', '6.6.6.6, 203.0.113.7, 10.0.0.9'), '203.0.113.7');
    assert.equal(await seen(2, '10.0.0.2', '203.0.113.7'), '203.0.113.7');
  });

  test('a list of addresses/CIDRs: the right-most address outside it', async () => {
    const trust = parseTrustProxy('10.0.0.0/8, 192.168.1.1');
    assert.equal(await seen(trust, '10.1.2.3', '6.6.6.6, 203.0.113.7, 192.168.1.1'), '203.0.113.7');
    // A peer that is not one of ours is the client, even if it sends the header.
    assert.equal(await seen(trust, '198.51.100.5', '6.6.6.6'), '198.51.100.5');
    assert.equal(await seen(parseTrustProxy('loopback'), '::1', '6.6.6.6, 203.0.113.7'), '203.0.113.7');
  });

  test('without a socket (in-process app.request) one hop still reads the header; nothing else invents an address', async () => {
    assert.equal(await seen(true, undefined, '198.51.100.3'), '198.51.100.3');
    assert.equal(await seen(false, undefined, '198.51.100.3'), 'unknown');
  });

  test('PARLEY_TRUST_PROXY accepts true, a hop count or a list, and refuses a bad entry naming the key', () => {
    assert.equal(loadConfig({ PARLEY_TRUST_PROXY: 'true' }).trustProxy, true);
    assert.equal(loadConfig({ PARLEY_TRUST_PROXY: '2' }).trustProxy, 2);
    assert.deepEqual(loadConfig({ PARLEY_TRUST_PROXY: '10.0.0.0/8,::1' }).trustProxy, ['10.0.0.0/8', '::1']);
    assert.equal(loadConfig({ PARLEY_TRUST_PROXY: 'false' }).trustProxy, undefined);
    assert.throws(() => loadConfig({ PARLEY_TRUST_PROXY: '10.0.0.0/99' }), /PARLEY_TRUST_PROXY/);
  });
});

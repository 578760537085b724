import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;

/**
 * A PRNG for ULIDs that draws from a pool of cryptographic random bytes refilled 4 kB at a time:
 * ulidx's default asks the crypto module for every character (16 calls per id), which was 6% of
 * the CPU of posting a comment. Values are k/256, so `floor(x * 32)` stays uniform.
 */
export function pooledRandom(): () => number {
  const pool = Buffer.allocUnsafe(POOL_BYTES);
  let next = POOL_BYTES;
  return () => {
    if (next >= POOL_BYTES) {
      randomFillSync(pool);
      next = 0;
    }
    return pool[next++]! / 256;
  };
}

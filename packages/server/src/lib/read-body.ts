import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { AppError } from './errors.ts';

const tooLarge = (maxBytes: number): never => {
  throw new AppError(413, 'payload_too_large', `Request body is larger than ${maxBytes} bytes`);
};

/**
 * Reads the request body once, at most `maxBytes` (413 `payload_too_large` beyond, counted as it
 * arrives, whatever Content-Length says), and keeps it as text where Hono's `c.req.text()`,
 * `json()` and `formData()` find it: the origin guard, the route's limit and its validator all
 * read the same copy. Under @hono/node-server the bytes come straight from Node's request, so a
 * post never builds a web `Request` and its streams (a fifth of a small post's CPU went there).
 */
export async function readBody(c: Context, maxBytes: number): Promise<string> {
  // Hono keeps each body reading as a promise in `bodyCache` (its type says otherwise).
  const cache = c.req.bodyCache as { text?: Promise<string> };
  const cached = cache.text;
  if (cached !== undefined) {
    const text = await cached;
    if (Buffer.byteLength(text) > maxBytes) tooLarge(maxBytes);
    return text;
  }
  const declared = c.req.header('content-length');
  if (declared !== undefined && Number(declared) > maxBytes) tooLarge(maxBytes);
  const text = readBytes(c, maxBytes).then((bytes) => bytes.toString('utf8'));
  cache.text = text;
  return text;
}

async function readBytes(c: Context, maxBytes: number): Promise<Buffer> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const source: AsyncIterable<Uint8Array> | null = incoming ?? c.req.raw.body;
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of source ?? []) {
      size += chunk.byteLength;
      if (size > maxBytes) tooLarge(maxBytes);
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    // The client hung up mid-body: nothing is wrong with the server, and nobody reads the answer.
    if (incoming?.aborted || incoming?.destroyed || c.req.raw.signal.aborted) throw new AppError(400, 'validation_failed', 'Request aborted by the client');
    throw error;
  }
  return Buffer.concat(chunks, size);
}

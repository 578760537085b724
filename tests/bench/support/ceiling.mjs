// The read benchmark's ceiling: a bare Hono app on @hono/node-server answering GET /api/comments
// with the bytes Parley sent for the same request, in its own process like the server.
//   node bench/support/ceiling.mjs FILE   → prints { url, port, pid }
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';

const json = readFileSync(process.argv[2], 'utf8');
const app = new Hono().get('/api/comments', (c) => c.body(json, 200, { 'Content-Type': 'application/json; charset=UTF-8' }));
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  console.log(`Parley listening on http://127.0.0.1:${info.port} (ceiling)`);
});

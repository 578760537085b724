// Starts the COMPILED server (packages/server/dist, plain `node`, no TypeScript loader) the way
// production runs it, and prints { url, port, pid } as one JSON line for the benchmark parent.
//   node bench/support/serve-built.mjs DIR [site]
import path from 'node:path';

const [dir] = process.argv.slice(2);
const { loadConfig, startServer } = await import('../../../packages/server/dist/index.js');
const server = await startServer(
  loadConfig({ PORT: '0', DATABASE_URL: `file:${path.join(dir, 'bench.sqlite')}`, PARLEY_SECRET: 'bench' }),
  { quiet: true },
);
console.log(JSON.stringify({ url: server.url, port: server.port, pid: process.pid }));

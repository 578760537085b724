// Quick profile of the write path: N posts through createApp (no HTTP), CPU per post.
//   node --import tsx [--cpu-prof --cpu-prof-dir=DIR] scripts/profile-post.ts [N] [postgres]
import { createApp } from '../src/app.ts';
import { parseSitesConfig } from '../src/sites/config.ts';
import { SiteRegistry } from '../src/sites/registry.ts';
import { dialectsUnderTest } from '../src/test/helpers.ts';

const n = Number(process.argv[2] ?? 2000);
const kind = process.argv[3] === 'postgres' ? 'postgres' : 'sqlite';
const dialect = (await dialectsUnderTest()).find((candidate) => candidate.name === kind)!;
if (dialect.skip) throw new Error(dialect.skip);
const { store, dispose } = await dialect.open();
const unlimited = { max: 1_000_000, windowSeconds: 60 };
const sites = SiteRegistry.fromFile(parseSitesConfig({ sites: [{ id: 'bench', duplicateWindowSeconds: 0, rateLimits: { perIp: unlimited, perAuthor: unlimited, perPage: unlimited } }] }, 'x'));
const app = createApp({ store, sites, config: { adminToken: 't', embedFile: '/none', secret: 's' }, logError: (m, e) => console.error(m, e) });
const body = JSON.stringify({ site: 'bench', page: '/p', author: { name: 'Bench' }, body: 'A *benchmark* comment with a [link](https://news.example/x) and `code`.' });
const post = () => app.request('/api/comments', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
for (let i = 0; i < 200; i++) await post();
const start = process.cpuUsage();
const t0 = Date.now();
for (let i = 0; i < n; i++) {
  const r = await post();
  if (r.status !== 201) throw new Error(String(r.status));
}
const cpu = process.cpuUsage(start);
console.log(`${kind}: ${n} posts: ${Math.round((cpu.user + cpu.system) / n)} µs CPU/post, ${((Date.now() - t0) / n).toFixed(2)} ms wall/post`);
await dispose();

// Summarises a V8 .cpuprofile (node --cpu-prof): the functions with the most self time, and the
// packages/files they come from.   tsx bench/support/profile-summary.ts FILE.cpuprofile [TOP=25]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts FILE.cpuprofile [TOP]');
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));

// Self time per node: each sample's delta belongs to the node sampled.
const selfMicros = new Map<number, number>();
profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const isIdle = (id: number) => byId.get(id)!.callFrame.functionName === '(idle)';
// Percentages of busy time: a server waiting for requests is not a cost.
const total = [...selfMicros].reduce((sum, [id, micros]) => sum + (isIdle(id) ? 0 : micros), 0);

function where(url: string): string {
  const match = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1]!;
  if (url.startsWith('node:')) return url;
  if (url === '') return '(native/V8)';
  return url.replace(/^file:\/\/.*\/packages\//, 'packages/');
}

const byFunction = new Map<string, number>();
const byOrigin = new Map<string, number>();
for (const [id, micros] of selfMicros) {
  if (isIdle(id)) continue;
  const frame = byId.get(id)!.callFrame;
  const origin = where(frame.url);
  const name = `${frame.functionName || '(anonymous)'}  ${origin}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + micros);
}
const pct = (micros: number) => `${((micros / total) * 100).toFixed(1).padStart(5)} %`;
console.log(`${file}: ${(total / 1000).toFixed(0)} ms busy (idle excluded)`);
console.log('\nself time by function');
for (const [name, micros] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(micros)}  ${name}`);
console.log('\nself time by package / file');
for (const [origin, micros] of [...byOrigin].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${pct(micros)}  ${origin}`);

// Inclusive time of our own functions (packages/…) and of the libraries' entry points: where a
// request's time goes, callees included. Each sample counts once per distinct name on its stack.
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const inclusive = new Map<string, number>();
for (const [id, micros] of selfMicros) {
  if (isIdle(id)) continue;
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const frame = byId.get(at)!.callFrame;
    if (!frame.url.includes('/packages/')) continue;
    const name = `${frame.functionName || '(anonymous)'}  ${where(frame.url)}:${frame.lineNumber + 1}`;
    if (seen.has(name)) continue;
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + micros);
  }
}
console.log('\ninclusive time of our functions (callees included)');
for (const [name, micros] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(micros)}  ${name}`);

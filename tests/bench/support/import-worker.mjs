// One `parley import-comments` run in a process of its own, for bench/import.ts: its CPU time and
// peak RSS are the import's alone. Plain JavaScript so that, with the compiled CLI, no TypeScript
// loader is in the process (as an operator runs `parley`).
//   node import-worker.mjs CLI_MODULE FILE [import-comments args…]   → one JSON line on stdout
import { pathToFileURL } from 'node:url';

const [cli, file, ...args] = process.argv.slice(2);
const { runCli } = await import(pathToFileURL(cli).href);
let imported = 0;
let deletedDropped = 0;
let skipped = 0;
/** The report, kept to be shown when the run fails (a failed bench must say why). */
const report = [];
const started = process.hrtime.bigint();
const cpuBefore = process.cpuUsage();
const code = await runCli(['import-comments', file, ...args], {
  env: process.env,
  out: (line) => {
    if (report.length < 200) report.push(line);
    const match = /^Imported (\d+) comment/.exec(line);
    if (match) imported = Number(match[1]);
    const dropped = /\(and (\d+) deleted without replies/.exec(line);
    if (dropped) deletedDropped = Number(dropped[1]);
    if (/^(skipped|left out) /.test(line)) skipped++;
  },
  err: (line) => console.error(line),
});
if (code !== 0) console.error(`import-comments exited ${code}; its report:\n${report.join('\n')}`);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpuBefore);
// On a shared machine wall time measures the neighbours too: CPU seconds say what the import costs.
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
console.log(
  JSON.stringify({
    code,
    comments: imported,
    deletedDropped,
    skipped,
    seconds: round(seconds),
    perSecond: Math.round(imported / seconds),
    cpuSeconds: round(cpuSeconds, 2),
    perCpuSecond: Math.round(imported / cpuSeconds),
    // maxRSS is in kilobytes.
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);

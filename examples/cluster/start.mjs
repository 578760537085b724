// Three Parley instances behind nginx, on one PostgreSQL — one command:
//   node .ci/pnpm.mjs --filter @parley/example-cluster start      (or: node examples/cluster/start.mjs)
// Environment (all optional): DATABASE_URL (default postgres://root@127.0.0.1:5432/test),
// PARLEY_PG_SCHEMA (default parley_example_cluster), PARLEY_SECRET (default: one made for this run
// and given to every instance), PARLEY_TRUST_PROXY (default 1: the one nginx hop), PORT (nginx,
// default 8080), INSTANCES (default 3), NGINX (default: nginx on PATH or /usr/sbin/nginx), plus
// anything else Parley reads (PARLEY_ADMIN_TOKEN, PARLEY_CONFIG, …), passed to every instance.
// Ctrl-C stops nginx and the instances.
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SERVER_ROOT = path.resolve(HERE, '..', '..', 'packages', 'server');

/** The nginx binary, or undefined when it is not installed (`apt-get install nginx-light`). */
export function findNginx() {
  if (process.env.NGINX) return existsSync(process.env.NGINX) ? process.env.NGINX : undefined;
  const candidates = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'];
  for (const dir of (process.env.PATH ?? '').split(':')) candidates.push(path.join(dir, 'nginx'));
  return candidates.find((candidate) => existsSync(candidate));
}

/** A free loopback port for nginx (it cannot be told "any port" and report it back). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs a child until `ready` matches its output; rejects if it exits first. */
function startChild(name, command, args, options, ready) {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let output = '';
  const started = new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk.toString();
      const match = ready(output);
      if (match) resolve(match);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${output}`)));
  });
  // Awaited by whoever waits for readiness; a child stopped later must not raise an unhandled rejection.
  started.catch(() => {});
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return { name, child, started, stop, output: () => output };
}

/**
 * Starts `instances` Parley processes (the compiled server) on one PostgreSQL schema and nginx in
 * front of them. Resolves to { url, instances: [{ name, url, pid }], nginxPid, stop() }.
 */
export async function startCluster(options = {}) {
  const env = { ...process.env, ...options.env };
  const count = Number(options.instances ?? env.INSTANCES ?? 3);
  const nginx = findNginx();
  if (!nginx) throw new Error('nginx is not installed: apt-get install -y --no-install-recommends nginx-light (or set NGINX=/path/to/nginx)');
  // The compiled server (node dist/main.js), as production runs it; esbuild takes about a second.
  execFileSync(process.execPath, [path.join(SERVER_ROOT, 'scripts', 'build.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });

  const shared = {
    NO_COLOR: '1',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test',
    PARLEY_PG_SCHEMA: env.PARLEY_PG_SCHEMA ?? 'parley_example_cluster',
    // Every instance must hash addresses and sign tokens with the same secret.
    PARLEY_SECRET: env.PARLEY_SECRET ?? randomBytes(24).toString('base64url'),
    // One proxy hop (nginx) in front: the client is the address nginx puts in X-Forwarded-For.
    PARLEY_TRUST_PROXY: env.PARLEY_TRUST_PROXY ?? '1',
    PARLEY_JOB_INTERVAL_MS: env.PARLEY_JOB_INTERVAL_MS ?? '1000',
  };
  const started = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-cluster-example-'));
  // Started by root, nginx runs its workers as an unprivileged user (nobody or www-data) and hands
  // them the temp folders below (it chowns them at start); the workers must still pass through this
  // folder, which mkdtemp makes 0700. Without that, every request body over nginx's in-memory
  // buffer (8–16 KB) and every large response is a 500. 0711: pass through, not list. Run as
  // anyone else, the workers are that user and this changes nothing.
  chmodSync(dir, 0o711);
  if (process.getuid?.() === 0) assertWorkersCanReach(path.dirname(dir));
  const stop = async () => {
    await Promise.all(started.reverse().map((child) => child.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const launch = (i) => {
      const instance = startChild(`parley-${i + 1}`, process.execPath, ['dist/main.js'], { cwd: SERVER_ROOT, env: { ...env, ...shared } }, (text) => /Parley listening on (http:\/\/\S+)/.exec(text)?.[1]);
      started.push(instance);
      return instance.started.then((url) => ({ name: instance.name, url, pid: instance.child.pid }));
    };
    // The first instance creates the schema and migrates; the others start on it, as in a rolling deploy.
    const instances = [await launch(0)];
    instances.push(...(await Promise.all(Array.from({ length: count - 1 }, (_, i) => launch(i + 1)))));

    const port = Number(options.port ?? env.PORT ?? 8080) || (await freePort());
    const servers = instances.map((instance) => `    server ${new URL(instance.url).host} max_fails=2 fail_timeout=10s;`).join('\n');
    const config = readFileSync(path.join(HERE, 'nginx.conf.template'), 'utf8').replaceAll('{{DIR}}', dir).replaceAll('{{PORT}}', String(port)).replace('{{SERVERS}}', servers);
    for (const temp of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi', 'logs']) mkdirSync(path.join(dir, temp));
    writeFileSync(path.join(dir, 'nginx.conf'), config);
    const proxy = startChild('nginx', nginx, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', 'stderr'], {}, () => false);
    started.push(proxy);
    const url = `http://127.0.0.1:${port}`;
    await waitForHealth(`${url}/readyz`, proxy);
    return { url, instances, nginxPid: proxy.child.pid, configFile: path.join(dir, 'nginx.conf'), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Every folder above the run folder must let others pass (o+x), as /tmp does; say which does not. */
function assertWorkersCanReach(folder) {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    if (!(statSync(dir).mode & 0o001)) throw new Error(`nginx's workers (an unprivileged user) cannot pass through ${dir}: set TMPDIR to a folder they can reach, such as /tmp`);
    if (dir === path.dirname(dir)) return;
  }
}

/** nginx prints nothing when it is up: ask it, through to an instance, until it answers. */
async function waitForHealth(url, proxy) {
  // Generous: on a loaded machine nginx and the first answers can take seconds.
  const deadline = Date.now() + 30_000;
  let last = 'no answer';
  for (;;) {
    if (proxy.child.exitCode !== null) throw new Error(`nginx exited (${proxy.child.exitCode}):\n${proxy.output()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = error.cause?.code ?? error.message; // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`nginx did not answer ${url} within 30 s (last: ${last}):\n${proxy.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const cluster = await startCluster();
  console.log(`Parley behind nginx: ${cluster.url}`);
  for (const instance of cluster.instances) console.log(`  ${instance.name}: ${instance.url} (pid ${instance.pid})`);
  console.log(`nginx configuration: ${cluster.configFile}\nCtrl-C stops everything.`);
  const shutdown = async () => {
    await cluster.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

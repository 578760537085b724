import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect, createServer, type Server } from 'node:net';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from './helpers.ts';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

/** `node --import tsx src/main.ts` with `env`; collects its output, resolves `listening` with the URL it prints. */
function startMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: path.dirname(path.dirname(MAIN)),
    env: { ...process.env, NO_COLOR: '1', HOST: '127.0.0.1', PARLEY_SECRET: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (\S+)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
  listening.catch(() => {});
  return { child, exited, listening, output: () => ({ stdout, stderr }) };
}

describe('the server process', () => {
  const temp = tempDir('parley-process-');
  after(() => temp.remove());

  test('SIGTERM with an open live stream: streams end, then the database closes; exit 0, nothing logged as an error', async () => {
    const main = startMain({ PORT: '0', DATABASE_URL: `file:${path.join(temp.dir, 'sigterm.sqlite')}` });
    const url = await main.listening;
    const stream = await fetch(`${url}/api/stream?page=/live`);
    assert.equal(stream.status, 200);
    const reader = stream.body!.getReader();
    assert.match(new TextDecoder().decode((await reader.read()).value), /connected/);
    main.child.kill('SIGTERM');
    for (;;) if ((await reader.read()).done) break; // the server ended the stream
    assert.equal(await main.exited, 0, main.output().stderr);
    const { stderr } = main.output();
    assert.doesNotMatch(stderr, /destroyed|Error/i, stderr);
  });

  test('a client that hangs up in the middle of its body gets a 400 in the log, not an error; the next post is served', async () => {
    const main = startMain({ PORT: '0', DATABASE_URL: `file:${path.join(temp.dir, 'abort.sqlite')}` });
    const url = new URL(await main.listening);
    const socket = connect(Number(url.port), url.hostname);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('POST /api/comments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"page":"/abort","bo');
    // The server has the start of the body (it answers nothing yet); then the client is gone.
    await new Promise((resolve) => setImmediate(resolve));
    socket.destroy();
    for (let waited = 0; !/"path":"\/api\/comments"[^\n]*"status":400/.test(main.output().stdout); waited += 20) {
      assert.ok(waited < 10_000, `no log line for the aborted post:\n${main.output().stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const posted = await fetch(`${url.origin}/api/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ page: '/abort', body: 'after the hang-up' }) });
    assert.equal(posted.status, 201);
    main.child.kill('SIGTERM');
    assert.equal(await main.exited, 0);
    const { stdout, stderr } = main.output();
    assert.doesNotMatch(stdout + stderr, /"level":"error"|Unexpected|\bat .*\.ts:\d+/, stdout + stderr);
  });

  test('a busy port is one clear line and exit 1, not a stack trace', async () => {
    const busy = await new Promise<Server>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => resolve(server));
    });
    try {
      const port = (busy.address() as { port: number }).port;
      const main = startMain({ PORT: String(port), DATABASE_URL: `file:${path.join(temp.dir, 'busy.sqlite')}` });
      assert.equal(await main.exited, 1);
      const lines = main.output().stderr.trim().split('\n');
      assert.equal(lines.length, 1, main.output().stderr);
      assert.match(lines[0]!, new RegExp(`127\\.0\\.0\\.1:${port}: the port is already in use`));
    } finally {
      busy.close();
    }
  });
});

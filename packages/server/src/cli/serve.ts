import { loadConfig, type Config } from '../config.ts';
import { startServer } from '../server.ts';
import { callerCwd, type CliIo } from './io.ts';
import { defineCommand, runCommand } from './parse.ts';

/**
 * `parley serve [--port N] [--host H]`: runs the server until SIGINT or SIGTERM, then closes it
 * (in-flight requests finish, streams end, the database is closed) and resolves to the exit code.
 */
export default async function serve(argv: string[], io: CliIo): Promise<number> {
  let code = 0;
  const command = defineCommand('serve', io)
    .description('run the server (configuration from the environment)')
    .option('--port <port>', 'port to listen on (overrides PORT; 0: any free port)')
    .option('--host <host>', 'address to listen on (overrides HOST)')
    .action(async (options: { port?: string; host?: string }) => {
      const env = { ...io.env, ...(options.port !== undefined ? { PORT: options.port } : {}), ...(options.host !== undefined ? { HOST: options.host } : {}) };
      const config = loadConfig(env, { cwd: callerCwd(io) });
      let server;
      try {
        server = await startServer(config);
      } catch (error) {
        // A busy or forbidden port is an operator's fix, not a crash: one clear line, exit 1.
        const message = listenFailure(error, config);
        if (!message) throw error;
        io.err(message);
        code = 1;
        return;
      }
      io.out(`Parley listening on ${server.url} (${server.store.dialect})`);
      code = await new Promise<number>((resolve) => {
        const stop = (signal: string) => {
          io.out(`${signal}: shutting down`);
          server.close().then(
            () => resolve(0),
            (error: unknown) => {
              io.err(`Error while shutting down: ${(error as Error).message}`);
              resolve(1);
            },
          );
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
  return (await runCommand(command, argv, io)) ?? code;
}

function listenFailure(error: unknown, { host, port }: Config): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return `Parley cannot listen on ${host}:${port}: the port is already in use (stop the other process or set PORT)`;
  if (code === 'EACCES') return `Parley cannot listen on ${host}:${port}: permission denied (use a port above 1023 or set PORT)`;
  if (code === 'EADDRNOTAVAIL') return `Parley cannot listen on ${host}:${port}: no such address on this machine (set HOST)`;
  return undefined;
}

import path from 'node:path';

/** What a command may touch of the outside world, so tests run commands in-process. */
export interface CliIo {
  env: Record<string, string | undefined>;
  out: (line: string) => void;
  err: (line: string) => void;
  /** All of standard input (for --password-stdin); default: process.stdin. */
  readStdin?: () => Promise<string>;
  /** Where relative paths resolve; default: INIT_CWD (the caller's folder under pnpm/npm scripts), else process.cwd(). */
  cwd?: string;
}

/** A command: its arguments after the command name; resolves to the exit code. */
export type CliCommand = (argv: string[], io: CliIo) => Promise<number>;

export const processIo: CliIo = {
  env: process.env,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

/**
 * The folder the user typed the command in. `pnpm --filter @parley/server parley …` runs in
 * packages/server, but sets INIT_CWD to where pnpm was called: paths given there mean that folder.
 */
export function callerCwd(io: CliIo): string {
  return path.resolve(io.cwd ?? io.env.INIT_CWD ?? process.cwd());
}

export async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The widgets bundle, resolved from this file so it works from any cwd. */
const DEFAULT_EMBED_FILE = fileURLToPath(new URL('../../widgets/dist/embed.js', import.meta.url));

export type DatabaseKind = 'sqlite' | 'postgres';

export interface Config {
  port: number;
  host: string;
  /** `file:/abs/path.sqlite`, `file::memory:` or `postgres://…`; always set after loading. */
  databaseUrl: string;
  /** Unset: admin endpoints answer 401. */
  adminToken: string | undefined;
  embedFile: string;
}

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8787),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .trim()
    .refine((url) => url === '' || databaseKind(url) !== undefined, 'must start with file:, postgres:// or postgresql://')
    .optional(),
  PARLEY_ADMIN_TOKEN: z.string().optional(),
  PARLEY_EMBED_FILE: z.string().trim().min(1).optional(),
});

export function databaseKind(url: string): DatabaseKind | undefined {
  if (url.startsWith('file:')) return 'sqlite';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgres';
  return undefined;
}

/** Parses an env-like record; throws an error naming each bad key. */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  options: { cwd?: string } = {},
): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const cwd = options.cwd ?? process.cwd();
  const values = parsed.data;
  const databaseUrl = values.DATABASE_URL
    ? values.DATABASE_URL
    : `file:${path.resolve(cwd, 'data', 'parley.sqlite')}`;
  // An empty token would let anyone with an empty Bearer header in; treat it as unset.
  const adminToken = values.PARLEY_ADMIN_TOKEN ? values.PARLEY_ADMIN_TOKEN : undefined;
  return {
    port: values.PORT,
    host: values.HOST,
    databaseUrl,
    adminToken,
    embedFile: values.PARLEY_EMBED_FILE ? path.resolve(cwd, values.PARLEY_EMBED_FILE) : DEFAULT_EMBED_FILE,
  };
}

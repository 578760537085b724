import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseTrustProxy, type TrustProxy } from './lib/client-address.ts';
import { RelatedConfigSchema, type RelatedConfig } from './recommend/settings.ts';
import { LOG_LEVELS } from './observability/logger.ts';
import type { SqliteSynchronous } from './store/dialect.ts';

export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Run from the sources (tsx), the server serves the sibling packages' builds; compiled (dist/,
 * and the npm package), the copies scripts/build.mjs put in dist/public/ in the same build, so a
 * server never serves a widget from another version. Resolved from this file: works from any cwd.
 */
const FROM_SOURCES = import.meta.url.endsWith('.ts');
/** The widgets bundle. */
const DEFAULT_EMBED_FILE = fileURLToPath(new URL(FROM_SOURCES ? '../../widgets/dist/embed.js' : '../dist/public/widgets/embed.js', import.meta.url));
/** The built console (`pnpm --filter @parley/console build`), served at /admin. */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL(FROM_SOURCES ? '../../console/dist/' : '../dist/public/console/', import.meta.url));

export type DatabaseKind = 'sqlite' | 'postgres';

export interface Config {
  port: number;
  host: string;
  /** `file:/abs/path.sqlite`, `file::memory:` or `postgres://…`; always set after loading. */
  databaseUrl: string;
  /** Unset: admin endpoints answer 401. */
  adminToken: string | undefined;
  embedFile: string;
  /** PARLEY_CONSOLE_DIR: the built console served at /admin. Present only when set; the app defaults to DEFAULT_CONSOLE_DIR. */
  consoleDir?: string;
  // Comments (issue 3); each key is present only when its variable is set.
  /** PARLEY_SECRET: keys avatar seeds and IP/reader hashes. Unset: generated once and kept in the database. */
  secret?: string;
  /** PARLEY_EDIT_WINDOW_SECONDS: how long authors may edit/delete (default 900). */
  editWindowSeconds?: number;
  /** PARLEY_TRUST_PROXY: `true` (one hop), a hop count or a comma list of proxy addresses/CIDRs; see lib/client-address.ts. */
  trustProxy?: TrustProxy;
  // Moderation (issue 4); each key is present only when its variable is set.
  /** PARLEY_CONFIG: the sites file (JSON). Unset: one open `default` site, any origin. */
  sitesFile?: string;
  /** PARLEY_ADMIN_EMAIL + PARLEY_ADMIN_PASSWORD: an admin created or updated at start (unattended setups). */
  bootstrapAdmin?: { email: string; password: string };
  /** PARLEY_SECURE_COOKIES: `true` always marks the session cookie Secure; unset/`auto`: when the request is https. */
  secureCookies?: boolean;
  /** PARLEY_SMTP_URL: moderator mail, e.g. `smtp://user:pass@mail.example:587`. */
  smtpUrl?: string;
  /** PARLEY_MAIL_FROM: the From of notification mail. */
  mailFrom?: string;
  /**
   * PARLEY_PUBLIC_URL: this server's address as readers and moderators reach it (`https://comments.example`,
   * or with a path prefix), no trailing slash. Every link in mail, webhooks and the console is built
   * from it, never from a request's Host header. Required with PARLEY_SMTP_URL.
   */
  publicUrl?: string;
  /** PARLEY_REDIS_URL: shared rate-limit counters for several instances (default: the database). */
  redisUrl?: string;
  // Operations (issue 11).
  /** PARLEY_METRICS_TOKEN: the Bearer token `GET /metrics` wants. Unset: no /metrics. */
  metricsToken?: string;
  /** PARLEY_LOG_LEVEL: fatal, error, warn, info (default), debug, trace or silent. */
  logLevel?: LogLevel;
  // Related articles (issue 5).
  /** PARLEY_RELATED: ranker settings as JSON, or the path of a JSON file (`{ defaults?, sites? }`). */
  related?: RelatedConfig;
  // Several instances (issue 8).
  /** PARLEY_PG_SCHEMA: the PostgreSQL schema to use (several Parley databases in one PostgreSQL); instances share live updates only within one schema. */
  pgSchema?: string;
  /** PARLEY_JOB_INTERVAL_MS: how often background work (outbox, webhooks, pruning) looks for due rows (default 5000). */
  jobIntervalMs?: number;
  /** PARLEY_SQLITE_SYNCHRONOUS: `normal` (default: safe from process crashes) or `full` (an fsync per commit, safe from power loss). */
  sqliteSynchronous?: SqliteSynchronous;
  /** PARLEY_PG_PREPARED_STATEMENTS: `false` behind a pooler in transaction mode that cannot keep named prepared statements (PgBouncer before 1.21). Default true. */
  pgPreparedStatements?: boolean;
}

export const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8787),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .trim()
    .refine((url) => url === '' || databaseKind(url) !== undefined, 'must start with file:, postgres:// or postgresql://')
    .optional(),
  PARLEY_ADMIN_TOKEN: z.string().optional(),
  PARLEY_EMBED_FILE: z.string().trim().min(1).optional(),
  PARLEY_CONSOLE_DIR: z.string().trim().min(1).optional(),
  PARLEY_SECRET: z.string().optional(),
  PARLEY_PG_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,40}$/i, 'letters, digits and _ only').optional(),
  PARLEY_JOB_INTERVAL_MS: z.coerce.number().int().min(50).max(3_600_000).optional(),
  PARLEY_SQLITE_SYNCHRONOUS: z.enum(['normal', 'full']).optional(),
  PARLEY_PG_PREPARED_STATEMENTS: z.enum(['true', 'false']).optional(),
  PARLEY_EDIT_WINDOW_SECONDS: z.coerce.number().int().min(0).max(31_536_000).optional(),
  PARLEY_TRUST_PROXY: z
    .string()
    .refine((value) => {
      try {
        parseTrustProxy(value);
        return true;
      } catch {
        return false;
      }
    }, 'must be true, false, a hop count or a comma list of proxy addresses/CIDRs')
    .optional(),
  PARLEY_CONFIG: z.string().trim().optional(),
  PARLEY_ADMIN_EMAIL: z.email().optional().or(z.literal('')),
  PARLEY_ADMIN_PASSWORD: z.string().optional(),
  PARLEY_SECURE_COOKIES: z.enum(['true', 'false', 'auto', '']).optional(),
  PARLEY_SMTP_URL: z
    .string()
    .trim()
    .refine((url) => url === '' || /^smtps?:\/\//.test(url), 'must start with smtp:// or smtps://')
    .optional(),
  PARLEY_MAIL_FROM: z.string().trim().optional(),
  PARLEY_PUBLIC_URL: z
    .string()
    .trim()
    .refine((url) => url === '' || isPublicUrl(url), 'must be an http(s) URL without query or fragment, e.g. https://comments.example')
    .optional(),
  PARLEY_RELATED: z.string().trim().optional(),
  PARLEY_METRICS_TOKEN: z.string().optional(),
  PARLEY_LOG_LEVEL: z.enum([...LOG_LEVELS, '']).optional(),
  PARLEY_REDIS_URL: z
    .string()
    .trim()
    .refine((url) => url === '' || /^rediss?:\/\//.test(url), 'must start with redis:// or rediss://')
    .optional(),
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
    ...(values.PARLEY_CONSOLE_DIR ? { consoleDir: path.resolve(cwd, values.PARLEY_CONSOLE_DIR) } : {}),
    ...(values.PARLEY_METRICS_TOKEN ? { metricsToken: values.PARLEY_METRICS_TOKEN } : {}),
    ...(values.PARLEY_LOG_LEVEL ? { logLevel: values.PARLEY_LOG_LEVEL } : {}),
    ...commentsConfig(values),
    ...moderationConfig(values, cwd),
    ...relatedConfig(values, cwd),
    ...(values.PARLEY_PG_SCHEMA ? { pgSchema: values.PARLEY_PG_SCHEMA } : {}),
    ...(values.PARLEY_JOB_INTERVAL_MS !== undefined ? { jobIntervalMs: values.PARLEY_JOB_INTERVAL_MS } : {}),
    ...(values.PARLEY_SQLITE_SYNCHRONOUS ? { sqliteSynchronous: values.PARLEY_SQLITE_SYNCHRONOUS } : {}),
    ...(values.PARLEY_PG_PREPARED_STATEMENTS ? { pgPreparedStatements: values.PARLEY_PG_PREPARED_STATEMENTS === 'true' } : {}),
  };
}

function relatedConfig(values: z.infer<typeof EnvSchema>, cwd: string): Partial<Config> {
  const raw = values.PARLEY_RELATED;
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.startsWith('{') ? raw : readFileSync(path.resolve(cwd, raw), 'utf8'));
  } catch (error) {
    throw new Error(`Invalid configuration: PARLEY_RELATED: ${(error as Error).message}`, { cause: error });
  }
  const result = RelatedConfigSchema.safeParse(parsed);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid configuration: PARLEY_RELATED: ${problems}`);
  }
  return { related: result.data };
}

function moderationConfig(values: z.infer<typeof EnvSchema>, cwd: string): Partial<Config> {
  const config: Partial<Config> = {};
  if (values.PARLEY_CONFIG) config.sitesFile = path.resolve(cwd, values.PARLEY_CONFIG);
  // The password alone is fine (`parley admin create --email` reads it); an email needs a password.
  if (values.PARLEY_ADMIN_EMAIL) {
    if (!values.PARLEY_ADMIN_PASSWORD) {
      throw new Error('Invalid configuration: PARLEY_ADMIN_EMAIL needs PARLEY_ADMIN_PASSWORD as well');
    }
    config.bootstrapAdmin = { email: values.PARLEY_ADMIN_EMAIL, password: values.PARLEY_ADMIN_PASSWORD };
  }
  if (values.PARLEY_SECURE_COOKIES === 'true') config.secureCookies = true;
  if (values.PARLEY_SECURE_COOKIES === 'false') config.secureCookies = false;
  if (values.PARLEY_SMTP_URL) config.smtpUrl = values.PARLEY_SMTP_URL;
  if (values.PARLEY_MAIL_FROM) config.mailFrom = values.PARLEY_MAIL_FROM;
  if (values.PARLEY_PUBLIC_URL) config.publicUrl = normalisePublicUrl(values.PARLEY_PUBLIC_URL);
  // Mail carries links (privacy confirmation, moderation, unsubscribe); without a configured address
  // they would have to come from the request, which an attacker chooses.
  if (config.smtpUrl && !config.publicUrl) {
    throw new Error('Invalid configuration: PARLEY_SMTP_URL needs PARLEY_PUBLIC_URL (the address links in mail point to, e.g. https://comments.example)');
  }
  if (values.PARLEY_REDIS_URL) config.redisUrl = values.PARLEY_REDIS_URL;
  return config;
}

function commentsConfig(values: z.infer<typeof EnvSchema>): Partial<Config> {
  const config: Partial<Config> = {};
  if (values.PARLEY_SECRET) config.secret = values.PARLEY_SECRET;
  if (values.PARLEY_EDIT_WINDOW_SECONDS !== undefined) config.editWindowSeconds = values.PARLEY_EDIT_WINDOW_SECONDS;
  const trustProxy = values.PARLEY_TRUST_PROXY === undefined ? false : parseTrustProxy(values.PARLEY_TRUST_PROXY);
  if (trustProxy !== false) config.trustProxy = trustProxy;
  return config;
}

function isPublicUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !url.search && !url.hash && !url.username && !url.password;
  } catch {
    return false;
  }
}

/** `https://Comments.Example/parley/` → `https://comments.example/parley`: links append `/api/…` to it. */
export function normalisePublicUrl(value: string): string {
  const url = new URL(value);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

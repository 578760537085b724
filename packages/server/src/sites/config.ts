import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_SITE, ModerationModeSchema, SiteIdSchema } from '@parley/schema';
import { RelatedSettingsOverrideSchema } from '../recommend/settings.ts';

/** Webhook events a site can subscribe to. */
export const WEBHOOK_EVENTS = ['comment.created', 'comment.pending', 'comment.approved', 'comment.deleted'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** `*` or a bare origin (`https://news.example`, `http://localhost:5173`): scheme, host, optional port, nothing else. */
function isOriginOrStar(value: string): boolean {
  if (value === '*') return true;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value.replace(/\/$/, '').toLowerCase();
  } catch {
    return false;
  }
}

const OriginSchema = z
  .string()
  .trim()
  .refine(isOriginOrStar, 'Invalid URL: expected an origin such as "https://news.example" (no path) or "*"')
  .transform((value) => (value === '*' ? value : new URL(value).origin));

const LimitSchema = z.strictObject({
  max: z.number().int().min(1),
  windowSeconds: z.number().int().min(1),
});
export type RateLimitRule = z.infer<typeof LimitSchema>;

const RateLimitsSchema = z
  .strictObject({
    /** Comments per IP hash (generous: a newsroom or a school shares one address). */
    perIp: LimitSchema.default({ max: 30, windowSeconds: 60 }),
    /** Comments per author (email hash, else name + IP hash: a common name is not one person). */
    perAuthor: LimitSchema.default({ max: 10, windowSeconds: 60 }),
    /**
     * Comments per page, all authors together: a brake on a flood, not on a conversation. 600 per
     * 10 minutes (60 a minute) lets a hot story's thread run; the old 120 (12 a minute) refused
     * readers on exactly the articles that matter. Per IP and per author stop single sources.
     */
    perPage: LimitSchema.default({ max: 600, windowSeconds: 600 }),
  })
  .default({ perIp: { max: 30, windowSeconds: 60 }, perAuthor: { max: 10, windowSeconds: 60 }, perPage: { max: 600, windowSeconds: 600 } });

const AkismetSchema = z.strictObject({
  key: z.string().min(1),
  /** The site's front page URL, as registered with Akismet. */
  blog: z.url(),
  endpoint: z.url().default('https://rest.akismet.com'),
});

const WebhookSchema = z.strictObject({
  url: z.url(),
  /** HMAC-SHA256 key; at least 16 characters. */
  secret: z.string().min(16),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).default([...WEBHOOK_EVENTS]),
});
export type WebhookConfig = z.infer<typeof WebhookSchema>;

export const SiteConfigSchema = z.strictObject({
  id: SiteIdSchema,
  /** Origins whose pages may write (and read with CORS); `["*"]` for any. */
  origins: z.array(OriginSchema).min(1).default(['*']),
  moderation: ModerationModeSchema.default('open'),
  editWindowSeconds: z.number().int().min(0).default(900),
  maxLinks: z.number().int().min(0).default(3),
  blockedWords: z.array(z.string().trim().min(1)).default([]),
  rateLimits: RateLimitsSchema,
  /** Flags after which a comment lands in the flagged queue. */
  flagsToQueue: z.number().int().min(1).default(3),
  honeypot: z.boolean().default(true),
  /** Submissions faster than this after the form was shown are refused. 0 turns the check off. */
  minFillSeconds: z.number().min(0).default(3),
  /** Same body from the same author or IP within this window is a duplicate. */
  duplicateWindowSeconds: z.number().int().min(0).default(3600),
  spamCheck: z.strictObject({ akismet: AkismetSchema.optional() }).optional(),
  webhooks: z.array(WebhookSchema).default([]),
  /** Moderator notification recipients (email). */
  moderators: z.array(z.email()).default([]),
  /** Auto-discovery: `<parley-related discover>` on this site's pages may report their own metadata. */
  discovery: z.boolean().default(false),
  /** Ranker settings for this site's "You may also like" (partial); the rest from `PARLEY_RELATED`, then the defaults. */
  related: RelatedSettingsOverrideSchema.optional(),
});
export type SiteSettings = z.infer<typeof SiteConfigSchema>;

export const SitesFileSchema = z
  .strictObject({
    sites: z.array(SiteConfigSchema).min(1),
  })
  .superRefine((file, ctx) => {
    const seen = new Map<string, number>();
    file.sites.forEach((site, index) => {
      const first = seen.get(site.id);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['sites', index, 'id'], message: `duplicate site id "${site.id}" (also sites.${first}.id)` });
      }
      seen.set(site.id, index);
    });
  });
export type SitesFile = z.infer<typeof SitesFileSchema>;

/** The one site that exists when there is no config file: open, any origin, default rules. */
export function defaultSiteSettings(id: string = DEFAULT_SITE): SiteSettings {
  return SiteConfigSchema.parse({ id });
}

export class SitesConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`PARLEY_CONFIG ${source}: ${problems.join('; ')}`);
    this.name = 'SitesConfigError';
  }
}

/** Validates parsed JSON; errors name the source and each bad key path (`sites.0.origins.1: Invalid URL…`). */
export function parseSitesConfig(json: unknown, source: string): SitesFile {
  const parsed = SitesFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new SitesConfigError(
      source,
      parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return parsed.data;
}

/** Reads and validates a sites file; unreadable or non-JSON files fail with the same prefix. */
export function loadSitesFile(file: string): SitesFile {
  const source = path.resolve(file);
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (error) {
    throw new SitesConfigError(source, [`cannot read file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SitesConfigError(source, [`not valid JSON (${(error as Error).message})`]);
  }
  return parseSitesConfig(json, source);
}

import type { Context } from 'hono';
import type { Admin } from '@parley/schema';
import { AppError } from '../lib/errors.ts';

/**
 * What the caller of an admin endpoint may touch. Owners (the bearer token, and accounts with role
 * `owner`) have every site, settings and accounts; a moderator has the queues, actions, stats, bans,
 * webhook log and exports of their own sites, nothing else.
 */
export interface AdminScope {
  owner: boolean;
  /** A moderator's sites (unused for owners). */
  sites: ReadonlySet<string>;
}

export const OWNER_SCOPE: AdminScope = { owner: true, sites: new Set() };

export function scopeOfAdmin(admin: Admin): AdminScope {
  return admin.role === 'owner' ? OWNER_SCOPE : { owner: false, sites: new Set(admin.sites) };
}

export function canModerate(scope: AdminScope, site: string): boolean {
  return scope.owner || scope.sites.has(site);
}

/** The scope `adminAccess` set; a route mounted without it has no scope at all (nothing is allowed). */
export function adminScope(c: Context): AdminScope {
  return (c.get('adminScope') as AdminScope | undefined) ?? { owner: false, sites: new Set() };
}

/** 403 `forbidden` unless the caller may moderate `site` (the site is named in the request: saying so reveals nothing). */
export function assertSiteAccess(c: Context, site: string): void {
  if (!canModerate(adminScope(c), site)) throw new AppError(403, 'forbidden', `You do not moderate site "${site}"`);
}

/**
 * For records addressed by id (a comment, a ban): another site's record answers exactly as a
 * missing one, 404, so ids cannot be probed across sites.
 */
export function assertRecordAccess(c: Context, site: string | undefined, what: string): void {
  if (site === undefined || !canModerate(adminScope(c), site)) throw new AppError(404, 'not_found', `No ${what}`);
}

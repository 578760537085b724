// Tables and columns from migration 0007 (security), merged into `Database` by declaration merging
// so that schema.ts (shared) needs no edit.
import './moderation.schema.ts';

declare module './schema.ts' {
  interface Database {
    admin_sites: AdminSitesTable;
    used_tokens: UsedTokensTable;
  }
}

declare module './moderation.schema.ts' {
  interface AdminsTable {
    /** `owner`: every site, settings and accounts; `moderator`: the sites in `admin_sites` only. */
    role: AdminRole;
  }
}

export type AdminRole = 'owner' | 'moderator';

export interface AdminSitesTable {
  admin_id: string;
  site: string;
}

export interface UsedTokensTable {
  /** SHA-256 hex of the link's token. */
  token_hash: string;
  purpose: string;
  used_at: string;
  /** When the token would have expired anyway: the row can go then. */
  expires_at: string;
}

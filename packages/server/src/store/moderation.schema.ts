import type { Generated, Selectable } from 'kysely';

// Tables from migration 0004, merged into `Database` by declaration merging so that schema.ts
// (owned by the comments work) needs no edit. Same conventions: snake_case, ISO-8601 UTC text.

declare module './schema.ts' {
  interface Database {
    secrets: SecretsTable;
    admins: AdminsTable;
    admin_sessions: AdminSessionsTable;
    login_attempts: LoginAttemptsTable;
    rate_limits: RateLimitsTable;
    webhook_deliveries: WebhookDeliveriesTable;
    flags: FlagsTable;
    content_fingerprints: ContentFingerprintsTable;
    bans: BansTable;
  }
}

export interface SecretsTable {
  name: string;
  value: string;
  created_at: string;
}

export interface AdminsTable {
  id: string;
  email: string;
  password_hash: string;
  created_at: string;
  updated_at: string;
}

export interface AdminSessionsTable {
  /** SHA-256 hex of the cookie value. */
  id: string;
  admin_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface LoginAttemptsTable {
  key: string;
  count: number;
  window_start: string;
}

export interface RateLimitsTable {
  key: string;
  count: number;
  reset_at: string;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveriesTable {
  id: string;
  site: string;
  url: string;
  event: string;
  payload: string;
  attempts: Generated<number>;
  status: Generated<WebhookDeliveryStatus>;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: string;
  created_at: string;
  delivered_at: string | null;
}

export interface FlagsTable {
  id: string;
  comment_id: string;
  site: string;
  reason: string;
  detail: string | null;
  reporter_hash: string;
  created_at: string;
}

export interface ContentFingerprintsTable {
  site: string;
  /** Email hash or IP hash of whoever posted. */
  actor_hash: string;
  /** `normalisedBodyHash` of the body. */
  body_hash: string;
  created_at: string;
}

export interface BansTable {
  id: string;
  site: string;
  kind: 'email' | 'ip';
  value_hash: string;
  reason: string | null;
  created_at: string;
  expires_at: string | null;
}

export type AdminRow = Selectable<AdminsTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type BanRow = Selectable<BansTable>;

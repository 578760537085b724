import { randomBytes, timingSafeEqual } from 'node:crypto';
import { ulid } from 'ulidx';
import { ADMIN_PASSWORD_MIN_LENGTH, type Admin, type AdminRole, type AdminSession } from '@parley/schema';
import { isoNow, type Clock } from '../clock.ts';
import { LoginGuard } from '../admin/login-guard.ts';
import { dummyHash, hashPassword, verifyPassword } from '../admin/passwords.ts';
import { AppError } from '../lib/errors.ts';
import { hashIdentifier, sha256Hex } from '../lib/privacy.ts';
import { RateLimitedError } from '../rate-limit/rate-limit.ts';
import {
  clearLoginAttempts,
  deleteExpiredSessions,
  deleteSession,
  deleteSessionsOf,
  findAdminByEmail,
  findLiveSession,
  findLoginAttempts,
  insertAdmin,
  insertSession,
  listAdminSites,
  recordLoginFailure,
  replaceAdminSites,
  updateAdminPassword,
  updateAdminRole,
} from '../store/admins.repository.ts';
import { getOrCreateSecret } from '../store/secrets.repository.ts';
import type { Store } from '../store/store.ts';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
/**
 * Failures for one account from all addresses together in LOGIN_WINDOW_MS: a botnet spreading its
 * guesses over many addresses gets this many per window in all, not LOGIN_MAX_FAILURES per address.
 * (The price: such an attack also locks the owner out until the window ends; the bearer token and
 * `parley admin create` still work.)
 */
export const LOGIN_ACCOUNT_MAX_FAILURES = 10;

const BAD_CREDENTIALS = 'Wrong email or password';

export interface SessionLogin extends AdminSession {
  /** The cookie value; only its SHA-256 is stored. */
  token: string;
}

export interface LiveSession {
  admin: Admin;
  csrfToken: string;
  sessionIdHash: string;
}

const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** Admin accounts, password login with throttling, and cookie sessions with a CSRF token each. */
export class AdminsService {
  #salt: Promise<string> | undefined;

  /** Budgets and a bounded queue for password checks, before any hashing (see admin/login-guard.ts). */
  readonly loginGuard: LoginGuard;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    options: { loginGuard?: LoginGuard } = {},
  ) {
    this.loginGuard = options.loginGuard ?? new LoginGuard(clock);
  }

  /**
   * Creates the admin, or sets a new password (and ends their sessions) when the email exists.
   * `access`: the role (default: `moderator` when sites are named, else `owner` for a new account and
   * unchanged for an existing one) and, for a moderator, the sites (replacing the ones it had).
   */
  async createOrUpdate(emailInput: string, password: string, access: { role?: AdminRole; sites?: string[] } = {}): Promise<{ admin: Admin; created: boolean }> {
    const email = normaliseEmail(emailInput);
    const sites = [...new Set(access.sites ?? [])].sort();
    const wantedRole = access.role ?? (sites.length > 0 ? 'moderator' : undefined);
    if (wantedRole === 'moderator' && sites.length === 0) throw new AppError(400, 'validation_failed', 'A moderator needs at least one site (--site ID)');
    if (wantedRole === 'owner' && sites.length > 0) throw new AppError(400, 'validation_failed', 'An owner has every site: leave out --site, or use --role moderator');
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new AppError(400, 'validation_failed', `Not an email address: "${emailInput}"`);
    if (password.length < ADMIN_PASSWORD_MIN_LENGTH) {
      throw new AppError(400, 'validation_failed', `The password must have at least ${ADMIN_PASSWORD_MIN_LENGTH} characters`);
    }
    const passwordHash = await hashPassword(password);
    const now = isoNow(this.clock);
    return this.store.transaction(async (trx) => {
      const existing = await findAdminByEmail(trx, email);
      if (existing) {
        await updateAdminPassword(trx, existing.id, passwordHash, now);
        if (wantedRole) {
          await updateAdminRole(trx, existing.id, wantedRole, now);
          await replaceAdminSites(trx, existing.id, wantedRole === 'moderator' ? sites : []);
        }
        await deleteSessionsOf(trx, existing.id);
        const role = wantedRole ?? existing.role;
        return { admin: toAdmin({ ...existing, role }, role === 'moderator' ? await listAdminSites(trx, existing.id) : []), created: false };
      }
      const role = wantedRole ?? 'owner';
      const row = await insertAdmin(trx, { id: ulid(), email, password_hash: passwordHash, role, created_at: now, updated_at: now });
      if (role === 'moderator') await replaceAdminSites(trx, row.id, sites);
      return { admin: toAdmin(row, role === 'moderator' ? sites : []), created: true };
    });
  }

  /**
   * Checks the password and opens a session. Unknown email and wrong password answer the same 401
   * after the same scrypt work; after LOGIN_MAX_FAILURES failures for this email from this IP within
   * LOGIN_WINDOW_MS, 429 with Retry-After until the window ends (even for the right password).
   */
  async login(emailInput: string, password: string, ip: string): Promise<SessionLogin> {
    // Anonymous floods are refused here, before the database or scrypt is touched.
    this.loginGuard.admit(ip);
    const email = normaliseEmail(emailInput);
    const now = this.clock.now();
    const salt = await this.salt();
    const key = sha256Hex(`${email}|${hashIdentifier(ip, salt)}`);
    // Per account across every address, as well as per account and address.
    const accountKey = sha256Hex(`account|${hashIdentifier(email, salt)}`);
    for (const [attemptKey, max] of [[key, LOGIN_MAX_FAILURES], [accountKey, LOGIN_ACCOUNT_MAX_FAILURES]] as const) {
      const attempts = await findLoginAttempts(this.store.db, attemptKey);
      if (!attempts || attempts.count < max) continue;
      const windowEnds = Date.parse(attempts.window_start) + LOGIN_WINDOW_MS;
      if (windowEnds > now.getTime()) {
        throw new RateLimitedError(
          Math.ceil((windowEnds - now.getTime()) / 1000),
          'Too many failed logins; try again later',
        );
      }
    }
    const admin = await findAdminByEmail(this.store.db, email);
    const stored = admin?.password_hash ?? (await dummyHash());
    const ok = await this.loginGuard.hash(() => verifyPassword(password, stored));
    if (!admin || !ok) {
      const windowFloor = new Date(now.getTime() - LOGIN_WINDOW_MS).toISOString();
      await recordLoginFailure(this.store.db, key, now.toISOString(), windowFloor);
      await recordLoginFailure(this.store.db, accountKey, now.toISOString(), windowFloor);
      throw new AppError(401, 'invalid_credentials', BAD_CREDENTIALS);
    }
    this.loginGuard.refund(ip);
    await clearLoginAttempts(this.store.db, key);
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS).toISOString();
    await deleteExpiredSessions(this.store.db, now.toISOString());
    await insertSession(this.store.db, {
      id: sha256Hex(token),
      admin_id: admin.id,
      csrf_token: csrfToken,
      created_at: now.toISOString(),
      expires_at: expiresAt,
    });
    return { token, csrfToken, expiresAt, admin: toAdmin(admin, await this.sitesOf(admin)) };
  }

  /** The live session behind a cookie value, if any. */
  async session(token: string): Promise<LiveSession | undefined> {
    if (!token || token.length > 200) return undefined;
    const idHash = sha256Hex(token);
    const row = await findLiveSession(this.store.db, idHash, isoNow(this.clock));
    if (!row) return undefined;
    const sites = await this.sitesOf({ id: row.admin_id, role: row.role });
    return {
      admin: { id: row.admin_id, email: row.email, createdAt: row.created_at, role: row.role, sites },
      csrfToken: row.csrf_token,
      sessionIdHash: idHash,
    };
  }

  async logout(sessionIdHash: string): Promise<void> {
    await deleteSession(this.store.db, sessionIdHash);
  }

  private async sitesOf(admin: { id: string; role: AdminRole }): Promise<string[]> {
    return admin.role === 'moderator' ? listAdminSites(this.store.db, admin.id) : [];
  }

  private salt(): Promise<string> {
    this.#salt ??= getOrCreateSecret(this.store.db, 'hash_salt', isoNow(this.clock)).catch((error: unknown) => {
      this.#salt = undefined;
      throw error;
    });
    return this.#salt;
  }
}

/** Constant-time string equality (lengths may differ). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(sha256Hex(a));
  const right = Buffer.from(sha256Hex(b));
  return timingSafeEqual(left, right);
}

function toAdmin(row: { id: string; email: string; created_at: string; role: AdminRole }, sites: string[]): Admin {
  return { id: row.id, email: row.email, createdAt: row.created_at, role: row.role, sites };
}

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminBanFromCommentSchema,
  AdminCommentsQuerySchema,
  AdminEditCommentSchema,
  AdminPrivacySchema,
  AdminStatsQuerySchema,
  AdminThreadLockSchema,
} from './admin.ts';
import { NewCommentSchema } from './comment.ts';
import { PrivacyRequestSchema } from './moderation.ts';

type Schema = { safeParse(input: unknown): { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } } };

const tables: Array<[string, Schema, Array<[string, unknown]>, Array<[string, unknown, string]>]> = [
  [
    'AdminCommentsQuerySchema',
    AdminCommentsQuerySchema,
    [
      ['site only', { site: 'news' }],
      ['every filter (query strings)', { site: 'news', status: 'flagged', q: 'tides', author: 'ann', page: '/a', cursor: 'MDFK', limit: '200' }],
      ['all', { status: 'all' }],
    ],
    [
      ['unknown queue', { site: 'news', status: 'hidden' }, 'status'],
      ['limit over the maximum', { site: 'news', limit: '201' }, 'limit'],
      ['empty search', { site: 'news', q: ' ' }, 'q'],
      ['unknown key', { site: 'news', sort: 'top' }, ''],
    ],
  ],
  [
    'AdminEditCommentSchema',
    AdminEditCommentSchema,
    [['markdown', { body: 'fixed *typo*' }]],
    [
      ['empty body', { body: '   ' }, 'body'],
      ['no body', {}, 'body'],
    ],
  ],
  [
    'AdminBanFromCommentSchema',
    AdminBanFromCommentSchema,
    [
      ['permanent by ip', { by: 'ip' }],
      ['a day by email, with a reason', { by: 'email', durationHours: 24, reason: 'abuse' }],
    ],
    [
      ['by name', { by: 'name' }, 'by'],
      ['zero hours', { by: 'ip', durationHours: 0 }, 'durationHours'],
      ['fractional hours', { by: 'ip', durationHours: 1.5 }, 'durationHours'],
    ],
  ],
  [
    'AdminThreadLockSchema',
    AdminThreadLockSchema,
    [
      ['lock', { site: 'news', page: '/a', locked: true }],
      ['unlock on the default site', { page: '/a', locked: false }],
    ],
    [
      ['locked as a string', { site: 'news', page: '/a', locked: 'true' }, 'locked'],
      ['no page', { site: 'news', locked: true }, 'page'],
    ],
  ],
  [
    'AdminStatsQuerySchema',
    AdminStatsQuerySchema,
    [
      ['default days', { site: 'news' }],
      ['a year', { site: 'news', days: '365' }],
    ],
    [['too many days', { site: 'news', days: '366' }, 'days']],
  ],
  [
    'PrivacyRequestSchema',
    PrivacyRequestSchema,
    [
      ['export', { site: 'news', email: 'ann@example.org', kind: 'export' }],
      ['delete on the default site', { email: 'ann@example.org', kind: 'delete' }],
    ],
    [
      ['not an email', { email: 'ann', kind: 'export' }, 'email'],
      ['unknown kind', { email: 'ann@example.org', kind: 'anonymise' }, 'kind'],
    ],
  ],
  [
    'AdminPrivacySchema',
    AdminPrivacySchema,
    [['export', { site: 'news', email: 'ann@example.org', kind: 'export' }]],
    [['no kind', { site: 'news', email: 'ann@example.org' }, 'kind']],
  ],
  [
    'NewCommentSchema (moderation fields)',
    NewCommentSchema,
    [
      ['honeypot, render time and notify', { page: '/a', body: 'hi', honeypot: '', renderedAt: 1_780_000_000_000, notify: true }],
    ],
    [
      ['render time as a string', { page: '/a', body: 'hi', renderedAt: '1780000000000' }, 'renderedAt'],
      ['negative render time', { page: '/a', body: 'hi', renderedAt: -1 }, 'renderedAt'],
      ['notify as a string', { page: '/a', body: 'hi', notify: 'yes' }, 'notify'],
    ],
  ],
];

for (const [name, schema, valid, invalid] of tables) {
  describe(name, () => {
    for (const [label, input] of valid) {
      it(`accepts ${label}`, () => {
        const result = schema.safeParse(input);
        assert.equal(result.success, true, JSON.stringify(result.error?.issues));
      });
    }
    for (const [label, input, path] of invalid) {
      it(`rejects ${label} at "${path}"`, () => {
        const result = schema.safeParse(input);
        assert.equal(result.success, false);
        assert.ok(result.error!.issues.some((issue) => issue.path.map(String).join('.') === path), JSON.stringify(result.error!.issues));
      });
    }
  });
}

describe('AdminCommentsQuerySchema defaults', () => {
  it('pending queue, 50 per page, default site', () => {
    assert.deepEqual(AdminCommentsQuerySchema.parse({}), { site: 'default', status: 'pending', limit: 50 });
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AdminLoginSchema } from './admin.ts';
import { NewBanSchema, NewFlagSchema } from './moderation.ts';

const hash = 'ab'.repeat(32);

const tables: Array<[string, { safeParse(input: unknown): { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } } }, Array<[string, unknown]>, Array<[string, unknown, string]>]> = [
  [
    'NewFlagSchema',
    NewFlagSchema,
    [
      ['reason only', { reason: 'spam' }],
      ['with detail', { reason: 'other', detail: 'Posts my phone number' }],
    ],
    [
      ['unknown reason', { reason: 'boring' }, 'reason'],
      ['detail too long', { reason: 'other', detail: 'x'.repeat(501) }, 'detail'],
      ['extra key', { reason: 'spam', site: 'x' }, ''],
    ],
  ],
  [
    'AdminLoginSchema',
    AdminLoginSchema,
    [['email and password', { email: 'ops@news.example', password: 'x' }]],
    [
      ['no password', { email: 'ops@news.example' }, 'password'],
      ['empty email', { email: ' ', password: 'x' }, 'email'],
    ],
  ],
  [
    'NewBanSchema',
    NewBanSchema,
    [
      ['permanent ip ban', { site: 'news', kind: 'ip', valueHash: hash }],
      ['timed email ban', { site: 'news', kind: 'email', valueHash: hash, durationSeconds: 86_400, reason: 'abuse' }],
    ],
    [
      ['raw ip instead of a hash', { site: 'news', kind: 'ip', valueHash: '203.0.113.5' }, 'valueHash'],
      ['unknown kind', { site: 'news', kind: 'name', valueHash: hash }, 'kind'],
      ['too short', { site: 'news', kind: 'ip', valueHash: hash, durationSeconds: 1 }, 'durationSeconds'],
    ],
  ],
];

for (const [name, schema, valid, invalid] of tables) {
  describe(name, () => {
    for (const [label, input] of valid) it(`accepts ${label}`, () => assert.equal(schema.safeParse(input).success, true));
    for (const [label, input, path] of invalid) {
      it(`rejects ${label} at "${path}"`, () => {
        const result = schema.safeParse(input);
        assert.equal(result.success, false);
        assert.ok(result.error!.issues.some((issue) => issue.path.join('.') === path));
      });
    }
  });
}

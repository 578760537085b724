import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CommentsQuerySchema, NewCommentSchema } from './comment.ts';
import { COMMENT_BODY_MAX_LENGTH, AUTHOR_NAME_MAX_LENGTH } from './limits.ts';

const valid: Array<[string, unknown]> = [
  ['minimal', { page: '/a', body: 'hi' }],
  ['with site', { site: 'my-blog_2', page: '/a', body: 'hi' }],
  ['with author', { page: '/a', body: 'hi', author: { name: 'Ada', email: 'ada@example.org' } }],
  ['empty email', { page: '/a', body: 'hi', author: { email: '' } }],
  ['reply', { page: '/a', body: 'hi', parentId: '01JDQ8Z6Y3C0W5K4M2N9P7R1ST' }],
  ['longest body', { page: '/a', body: 'x'.repeat(COMMENT_BODY_MAX_LENGTH) }],
];

const invalid: Array<[string, unknown, string]> = [
  ['missing body', { page: '/a' }, 'body'],
  ['blank body', { page: '/a', body: '   ' }, 'body'],
  ['body too long', { page: '/a', body: 'x'.repeat(COMMENT_BODY_MAX_LENGTH + 1) }, 'body'],
  ['body not a string', { page: '/a', body: 42 }, 'body'],
  ['missing page', { body: 'hi' }, 'page'],
  ['page with control chars', { page: '/a\u0000b', body: 'hi' }, 'page'],
  ['bad site', { site: '../etc', page: '/a', body: 'hi' }, 'site'],
  ['name too long', { page: '/a', body: 'hi', author: { name: 'n'.repeat(AUTHOR_NAME_MAX_LENGTH + 1) } }, 'author.name'],
  ['bad email', { page: '/a', body: 'hi', author: { email: 'nope' } }, 'author.email'],
  ['bad parent id', { page: '/a', body: 'hi', parentId: '1; drop table' }, 'parentId'],
  ['unknown key', { page: '/a', body: 'hi', admin: true }, ''],
];

describe('NewCommentSchema', () => {
  for (const [name, input] of valid) {
    it(`accepts ${name}`, () => assert.equal(NewCommentSchema.safeParse(input).success, true));
  }
  for (const [name, input, path] of invalid) {
    it(`rejects ${name} at "${path}"`, () => {
      const result = NewCommentSchema.safeParse(input);
      assert.equal(result.success, false);
      assert.ok(result.error.issues.some((issue) => issue.path.join('.') === path));
    });
  }
  it('defaults the site and trims the body', () => {
    const parsed = NewCommentSchema.parse({ page: '/a', body: '  hi  ' });
    assert.equal(parsed.site, 'default');
    assert.equal(parsed.body, 'hi');
  });
});

describe('CommentsQuerySchema', () => {
  it('needs a page', () => assert.equal(CommentsQuerySchema.safeParse({}).success, false));
  it('accepts a path', () => assert.equal(CommentsQuerySchema.safeParse({ page: '/x' }).success, true));
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CommentSchema, CommentsQuerySchema, CommentWithSourceSchema, EditCommentSchema, LikeCommentSchema, NewCommentSchema, PreviewRequestSchema } from './comment.ts';
import { StreamQuerySchema } from './stream.ts';
import { COMMENT_BODY_MAX_LENGTH, AUTHOR_NAME_MAX_LENGTH, COMMENTS_PAGE_SIZE_DEFAULT, COMMENTS_PAGE_SIZE_MAX, READER_ID_MAX_LENGTH, READER_ID_MIN_LENGTH } from './limits.ts';

const valid: Array<[string, unknown]> = [
  ['minimal', { page: '/a', body: 'hi' }],
  ['with site', { site: 'my-blog_2', page: '/a', body: 'hi' }],
  ['with author', { page: '/a', body: 'hi', author: { name: 'Ada', email: 'ada@example.org' } }],
  ['empty email', { page: '/a', body: 'hi', author: { email: '' } }],
  ['reply', { page: '/a', body: 'hi', parentId: '01JDQ8Z6Y3C0W5K4M2N9P7R1ST' }],
  ['longest body', { page: '/a', body: 'x'.repeat(COMMENT_BODY_MAX_LENGTH) }],
  ['fill time', { page: '/a', body: 'hi', fillMs: 4_250 }],
  ['zero fill time', { page: '/a', body: 'hi', fillMs: 0 }],
  ['fill time with the deprecated render time', { page: '/a', body: 'hi', fillMs: 4_250, renderedAt: 1_780_000_000_000 }],
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
  ['negative fill time', { page: '/a', body: 'hi', fillMs: -1 }, 'fillMs'],
  ['fractional fill time', { page: '/a', body: 'hi', fillMs: 12.5 }, 'fillMs'],
  ['fill time as a string', { page: '/a', body: 'hi', fillMs: '3000' }, 'fillMs'],
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

describe('reader-experience inputs', () => {
  const cases: Array<[string, { safeParse(input: unknown): { success: boolean } }, unknown, boolean]> = [
    ['query defaults', CommentsQuerySchema, { page: '/a' }, true],
    ['query with sort, cursor, limit, avatars', CommentsQuerySchema, { page: '/a', sort: 'top', cursor: 'abc', limit: '50', avatars: 'gravatar' }, true],
    ['query limit over the max', CommentsQuerySchema, { page: '/a', limit: String(COMMENTS_PAGE_SIZE_MAX + 1) }, false],
    ['query limit 0', CommentsQuerySchema, { page: '/a', limit: '0' }, false],
    ['query unknown sort', CommentsQuerySchema, { page: '/a', sort: 'best' }, false],
    ['query unknown avatars', CommentsQuerySchema, { page: '/a', avatars: 'robohash' }, false],
    ['edit', EditCommentSchema, { site: 's', body: 'x' }, true],
    ['edit blank', EditCommentSchema, { body: ' ' }, false],
    ['edit extra key', EditCommentSchema, { body: 'x', page: '/a' }, false],
    ['like', LikeCommentSchema, { readerId: 'a'.repeat(READER_ID_MIN_LENGTH), liked: true }, true],
    ['like short reader id', LikeCommentSchema, { readerId: 'a'.repeat(READER_ID_MIN_LENGTH - 1), liked: true }, false],
    ['like long reader id', LikeCommentSchema, { readerId: 'a'.repeat(READER_ID_MAX_LENGTH + 1), liked: true }, false],
    ['like reader id with spaces', LikeCommentSchema, { readerId: 'a b c d e f g h i j', liked: true }, false],
    ['like liked as string', LikeCommentSchema, { readerId: 'a'.repeat(20), liked: 'true' }, false],
    ['preview', PreviewRequestSchema, { body: '*x*' }, true],
    ['preview empty', PreviewRequestSchema, { body: '' }, false],
    ['stream', StreamQuerySchema, { page: '/a', lastEventId: '01JDQ8Z6Y3C0W5K4M2N9P7R1ST' }, true],
    ['stream bad last id', StreamQuerySchema, { page: '/a', lastEventId: 'x' }, false],
  ];
  for (const [name, schema, input, ok] of cases) {
    it(`${ok ? 'accepts' : 'rejects'} ${name}`, () => assert.equal(schema.safeParse(input).success, ok));
  }
  it('query defaults sort and limit', () => {
    const parsed = CommentsQuerySchema.parse({ page: '/a' });
    assert.equal(parsed.sort, 'oldest');
    assert.equal(parsed.limit, COMMENTS_PAGE_SIZE_DEFAULT);
  });
});

describe('reader-experience outputs', () => {
  const comment = {
    id: '01JDQ8Z6Y3C0W5K4M2N9P7R1ST', page: '/a', parentId: null, author: { name: null, avatar: '0123456789abcdef' },
    html: '<p>x</p>', status: 'visible', createdAt: '2026-01-01T00:00:00.000Z', editedAt: null, likes: 0, replyCount: 0,
  };
  it('a Comment has no body; CommentWithSource has one', () => {
    assert.equal(CommentSchema.safeParse(comment).success, true);
    assert.equal('body' in CommentSchema.parse({ ...comment, body: 'x' }), false);
    assert.equal(CommentWithSourceSchema.safeParse(comment).success, false);
    assert.equal(CommentWithSourceSchema.safeParse({ ...comment, body: 'x' }).success, true);
  });
  it('avatar seeds are 16 hex chars, gravatar 64', () => {
    assert.equal(CommentSchema.safeParse({ ...comment, author: { name: 'a', avatar: 'xyz' } }).success, false);
    assert.equal(CommentSchema.safeParse({ ...comment, author: { name: 'a', avatar: '0123456789abcdef', gravatar: 'f'.repeat(64) } }).success, true);
  });
});

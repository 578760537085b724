import type { CommentItem, ImportInput, ImportItem, ThreadItem } from './item.ts';
import { linesOf } from './source.ts';

/**
 * A Remark42 backup (`remark42 backup`, or the daily files in `var/backup`, usually gzipped): JSON
 * Lines whose first line is `{"version":1,"users":[…],"posts":[{"url","read_only"}…]}` and every
 * other line one comment: `{"id","pid","text" (HTML),"user":{"name"},"locator":{"url"},"time",
 * "score","delete","pin"}`.
 */
export async function* parseRemark42(input: ImportInput): AsyncIterable<ImportItem> {
  let first = true;
  for await (const { line, number } of linesOf(input)) {
    let value: Record<string, any>;
    try {
      value = JSON.parse(line);
    } catch {
      yield { kind: 'problem', sourceId: `line ${number}`, reason: 'not JSON' };
      continue;
    }
    if (first && !('id' in value) && ('posts' in value || 'users' in value || 'version' in value)) {
      first = false;
      for (const post of Array.isArray(value.posts) ? value.posts : []) {
        if (typeof post?.url === 'string' && post.read_only) yield { kind: 'thread', key: post.url, url: post.url, closed: true, article: false } satisfies ThreadItem;
      }
      continue;
    }
    first = false;
    yield toComment(value, number);
  }
}

function toComment(value: Record<string, any>, line: number): CommentItem | ImportItem {
  const url = value.locator?.url;
  if (typeof value.id !== 'string' || typeof url !== 'string') return { kind: 'problem', sourceId: `line ${line}`, reason: 'not a Remark42 comment (no id or locator.url)' };
  const user = value.user ?? {};
  return {
    kind: 'comment',
    sourceId: value.id,
    url,
    parentSourceId: typeof value.pid === 'string' && value.pid ? value.pid : null,
    authorName: typeof user.name === 'string' ? user.name : null,
    // Remark42 keeps no emails (users sign in with a provider); nothing to carry over.
    authorEmail: null,
    authorUrl: null,
    content: { html: typeof value.text === 'string' ? value.text : '' },
    createdAt: typeof value.time === 'string' ? value.time : null,
    status: value.delete ? 'deleted' : 'visible',
    likes: typeof value.score === 'number' && value.score > 0 ? value.score : 0,
    pinned: Boolean(value.pin) && !value.pid,
  };
}

import type { CommentItem, ImportInput, ImportItem, ImportedStatus, ThreadItem } from './item.ts';
import { childrenNamed, textOf, xmlRecords, type XmlNode } from './source.ts';

/**
 * WordPress eXtended RSS (WXR 1.1 and 1.2, Tools → Export): one `<item>` per post or page, its
 * comments inside as `<wp:comment>`. Times come from `wp:comment_date_gmt` (UTC) only: the local
 * `wp:comment_date` has no zone, so a comment whose GMT date is missing or zero is reported, not guessed.
 */
export async function* parseWordPress(input: ImportInput): AsyncIterable<ImportItem> {
  const problems: ImportItem[] = [];
  const records = xmlRecords(input, (name, depth) => depth === 2 && name === 'item', (problem) => {
    problems.push({ kind: 'problem', sourceId: `line ${problem.line}`, reason: `XML: ${problem.message}` });
  });
  for await (const item of records) {
    yield* problems.splice(0);
    const postId = textOf(item, 'wp:post_id');
    const url = textOf(item, 'link');
    const type = textOf(item, 'wp:post_type') ?? 'post';
    if (!postId || !url || type === 'attachment' || type === 'nav_menu_item') continue;
    yield thread(item, postId, url, type);
    for (const comment of childrenNamed(item, 'wp:comment')) yield toComment(comment, postId);
  }
  yield* problems.splice(0);
}

function thread(item: XmlNode, key: string, url: string, type: string): ThreadItem {
  const categories = childrenNamed(item, 'category').map((c) => c.text.trim()).filter(Boolean);
  const sections = childrenNamed(item, 'category').filter((c) => c.attributes.domain === 'category');
  const gmt = textOf(item, 'wp:post_date_gmt');
  return {
    kind: 'thread',
    key,
    url,
    title: textOf(item, 'title') || null,
    publishedAt: gmt && !gmt.startsWith('0000') ? gmt : null,
    tags: [...new Set(categories)],
    section: sections[0]?.text.trim() || null,
    description: textOf(item, 'excerpt:encoded') || null,
    closed: textOf(item, 'wp:comment_status') === 'closed',
    article: (type === 'post' || type === 'page') && textOf(item, 'wp:status') === 'publish' && Boolean(textOf(item, 'title')),
  };
}

const STATUSES: Record<string, ImportedStatus> = { '1': 'visible', approve: 'visible', '0': 'pending', hold: 'pending', spam: 'spam', trash: 'deleted', 'post-trashed': 'deleted' };

function toComment(comment: XmlNode, postId: string): CommentItem {
  const parent = textOf(comment, 'wp:comment_parent');
  const gmt = textOf(comment, 'wp:comment_date_gmt');
  const type = textOf(comment, 'wp:comment_type') ?? '';
  return {
    kind: 'comment',
    sourceId: textOf(comment, 'wp:comment_id') ?? '',
    threadKey: postId,
    parentSourceId: parent && parent !== '0' ? parent : null,
    authorName: textOf(comment, 'wp:comment_author') || null,
    authorEmail: textOf(comment, 'wp:comment_author_email') || null,
    authorUrl: textOf(comment, 'wp:comment_author_url') || null,
    content: { html: textOf(comment, 'wp:comment_content') ?? '' },
    createdAt: gmt && !gmt.startsWith('0000') ? gmt : null,
    status: STATUSES[textOf(comment, 'wp:comment_approved') ?? ''] ?? 'pending',
    pingback: type === 'pingback' || type === 'trackback',
  };
}

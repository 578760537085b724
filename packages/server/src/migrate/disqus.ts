import type { CommentItem, ImportInput, ImportItem, ImportedStatus, ThreadItem } from './item.ts';
import { child, textOf, xmlRecords, type XmlNode } from './source.ts';

/**
 * The Disqus export (Admin → Moderation → Export: `<disqus>` with `<category>`, `<thread>` and
 * `<post>` children; ids in `dsq:id` attributes). Threads come before the posts that point at them
 * with `<thread dsq:id>`; replies name their parent with `<parent dsq:id>`, which may come later in
 * the file or be missing (deleted or from another forum).
 */
export async function* parseDisqus(input: ImportInput): AsyncIterable<ImportItem> {
  const problems: ImportItem[] = [];
  const records = xmlRecords(input, (name, depth) => depth === 1 && (name === 'thread' || name === 'post'), (problem) => {
    problems.push({ kind: 'problem', sourceId: `line ${problem.line}`, reason: `XML: ${problem.message}` });
  });
  for await (const node of records) {
    yield* problems.splice(0);
    const item = node.name === 'thread' ? thread(node) : post(node);
    if (item) yield item;
  }
  yield* problems.splice(0);
}

const isTrue = (value: string | undefined) => value === 'true' || value === '1';

function dsqId(node: XmlNode | undefined): string | undefined {
  return node?.attributes['dsq:id'] || undefined;
}

function thread(node: XmlNode): ThreadItem | undefined {
  const key = dsqId(node);
  const url = textOf(node, 'link');
  if (!key || !url) return undefined;
  const deleted = isTrue(textOf(node, 'isDeleted'));
  return {
    kind: 'thread',
    key,
    url,
    title: textOf(node, 'title') || null,
    publishedAt: textOf(node, 'createdAt') ?? null,
    closed: isTrue(textOf(node, 'isClosed')),
    article: !deleted && Boolean(textOf(node, 'title')),
  };
}

function post(node: XmlNode): CommentItem | ImportItem {
  const sourceId = dsqId(node);
  if (!sourceId) return { kind: 'problem', sourceId: '(post without dsq:id)', reason: 'no id' };
  let status: ImportedStatus = 'visible';
  if (isTrue(textOf(node, 'isSpam'))) status = 'spam';
  else if (isTrue(textOf(node, 'isDeleted'))) status = 'deleted';
  else if (textOf(node, 'isApproved') === 'false') status = 'pending';
  return {
    kind: 'comment',
    sourceId,
    threadKey: dsqId(child(node, 'thread')),
    parentSourceId: dsqId(child(node, 'parent')) ?? null,
    authorName: textOf(node, 'author/name') || textOf(node, 'author/username') || null,
    authorEmail: textOf(node, 'author/email') || null,
    authorUrl: textOf(node, 'author/link') || null,
    content: { html: child(node, 'message')?.text ?? '' },
    createdAt: textOf(node, 'createdAt') ?? null,
    status,
  };
}

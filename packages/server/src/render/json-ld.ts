import type { CommentNode, CommentThread } from '@parley/schema';
import type { Article, Comment, WithContext } from 'schema-dts';
import { sanitizeCommentHtml } from '../services/markdown.ts';

/** What the server knows about the page beyond its thread (from the articles it indexes, or the query). */
export interface PageFacts {
  /** The page's absolute URL, when known: every `@id` and `url` hangs off it. */
  url?: string | undefined;
  title?: string | undefined;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&nbsp;': '\u00a0' };

/** The plain text of sanitised comment HTML: paragraphs and list items on their own lines. */
export function commentText(html: string): string {
  return sanitizeCommentHtml(html.replace(/<\/(p|li|blockquote|pre)>|<br\s*\/?>/gi, '$&\n'))
    .replace(/<[^>]*>/g, '')
    .replace(/&(?:amp|lt|gt|quot|nbsp|#39|#x27);/g, (entity) => ENTITIES[entity]!)
    .replace(/\n{2,}/g, '\n')
    .trim();
}

/**
 * schema.org structured data for the discussion: the page as an `Article` with its `commentCount`
 * and the first page's comments as `Comment`s (author, date, text; replies point at their parent
 * with `parentItem`). Deleted placeholders are left out. Typed with schema-dts, so a property the
 * vocabulary lacks does not compile; the tests also check it against the vocabulary at run time.
 */
export function discussionJsonLd(thread: CommentThread, facts: PageFacts, anonymous: string): WithContext<Article> {
  const base = facts.url ?? '';
  const idOf = (id: string) => `${base}#comment-${id}`;
  const comments: Comment[] = [];
  const visit = (node: CommentNode) => {
    if (node.status === 'visible') {
      comments.push({
        '@type': 'Comment',
        '@id': idOf(node.id),
        ...(facts.url ? { url: idOf(node.id) } : {}),
        author: { '@type': 'Person', name: node.author.name || anonymous },
        datePublished: node.createdAt,
        ...(node.editedAt ? { dateModified: node.editedAt } : {}),
        text: commentText(node.html),
        upvoteCount: node.likes,
        ...(node.parentId ? { parentItem: { '@id': idOf(node.parentId) } } : {}),
      });
    }
    node.replies.forEach(visit);
  };
  thread.comments.forEach(visit);
  return {
    '@context': 'https://schema.org',
    '@type': 'Article',
    ...(facts.url ? { '@id': facts.url, url: facts.url } : {}),
    ...(facts.title ? { headline: facts.title } : {}),
    commentCount: thread.total,
    comment: comments,
  };
}

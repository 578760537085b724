import type { CommentNode } from '@parley/schema';
import { locate } from './thread-tree.ts';

/* Edits of a loaded thread that only follow a click or a live event: in the writing tools' chunk. */

/** Adds `incoming` nodes to `target`, merging the replies of ones already there. */
export function merge(target: CommentNode[], incoming: CommentNode[]): void {
  for (const node of incoming) {
    const existing = target.find((other) => other.id === node.id);
    if (existing) merge(existing.replies, node.replies);
    else target.push(node);
  }
}

/** Adds nodes (nested, pre-order) to the branch `root`, each under its parent (else under `root`), skipping known ones. */
export function graft(root: CommentNode, incoming: CommentNode[]): void {
  for (const { replies, ...comment } of incoming) {
    if (!locate([root], comment.id)) (locate([root], comment.parentId ?? '')?.pop() ?? root).replies.push({ ...comment, replies: [] });
    graft(root, replies);
  }
}

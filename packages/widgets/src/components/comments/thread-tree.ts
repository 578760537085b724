import type { CommentNode, CommentSort, CommentThread } from '@parley/schema';

/* Pure reads and edits of a loaded thread (nested `CommentNode`s) that the first load needs; `thread-merge.ts` has the rest. */

/** The path from a top-level comment down to `id` (inclusive), or undefined. */
export function locate(nodes: CommentNode[], id: string): CommentNode[] | undefined {
  for (const node of nodes) {
    if (node.id === id) return [node];
    const path = locate(node.replies, id);
    if (path) return [node, ...path];
  }
  return undefined;
}

/** Adds `node` to `thread` under its parent (or at the top, by `sort`); false when it is there already or its parent is not. */
export function place(thread: CommentThread, node: CommentNode, sort: CommentSort): boolean {
  if (locate(thread.comments, node.id)) return false;
  if (node.parentId) {
    const path = locate(thread.comments, node.parentId);
    if (!path) return false;
    path[path.length - 1]!.replies.push(node);
    for (const ancestor of path) ancestor.replyCount++;
  } else if (sort === 'newest') thread.comments.unshift(node);
  else thread.comments.push(node);
  return true;
}

/** How many descendants of `node` are loaded. */
export function descendants(node: CommentNode): number {
  return node.replies.reduce((sum, reply) => sum + 1 + descendants(reply), 0);
}

/** All descendants of `node` in reading order, each with the name of the comment it answers. */
export function flatten(node: CommentNode, anonymous: string): Array<[CommentNode, string]> {
  return node.replies.flatMap((reply): Array<[CommentNode, string]> => [
    [reply, node.author.name || anonymous],
    ...flatten(reply, anonymous),
  ]);
}

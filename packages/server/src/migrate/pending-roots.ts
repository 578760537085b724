/**
 * Which comments of this import hang under a reply that is still waiting for its parent.
 *
 * A reply whose parent comes later in the file is written at top level meanwhile: it is its own
 * root, and so are the replies written under it. When the parent arrives they all take the
 * parent's root. Finding them with `WHERE root_id = ?` needs `comments_root_created_idx` during
 * the load, whose random keys (a root's id) cost SQLite more than any other index on a big import;
 * every such comment was written by this run, so the run can remember them instead, and the index
 * is built once at the end (deferred-indexes.ts).
 *
 * Memory: one id per comment under a waiting reply (the replies themselves are held by the writer
 * already), released when the parent arrives.
 */
export class PendingRoots {
  /** Waiting reply's id → ids of the comments written with it as their root (not itself). */
  private readonly members = new Map<string, string[]>();

  /** `id` is written at top level until its parent comes. */
  open(id: string): void {
    if (!this.members.has(id)) this.members.set(id, []);
  }

  /** A comment was written with `rootId` as its root. */
  join(rootId: string, id: string): void {
    if (rootId !== id) this.members.get(rootId)?.push(id);
  }

  /**
   * The waiting reply `id` moves under a parent whose root is `rootId`: answers every comment
   * whose root must become `rootId` (the reply first), and hands them to `rootId` when that is
   * itself still waiting.
   */
  settle(id: string, rootId: string): string[] {
    const moved = [id, ...(this.members.get(id) ?? [])];
    this.members.delete(id);
    const target = this.members.get(rootId);
    if (target && rootId !== id) target.push(...moved);
    return moved;
  }
}

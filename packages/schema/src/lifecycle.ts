// The comment lifecycle's status rules: one copy, used by the server to allow a change and by the
// console and widgets to offer only what the server would allow. No zod: the widgets import it.

/** Every status a stored comment can have (see ADMIN_COMMENT_STATUSES for what each means). */
export type CommentLifecycleStatus = 'visible' | 'pending' | 'spam' | 'rejected' | 'deleted';

/** Statuses readers see: visible comments, and placeholders of deleted ones that have replies. */
export const PUBLIC_STATUSES: readonly CommentLifecycleStatus[] = ['visible', 'deleted'];

/** A moderator's status changes: the statuses each accepts, and where it leads. */
export const MODERATION_TRANSITIONS = {
  approve: { from: ['pending', 'spam', 'rejected', 'visible'], to: 'visible' },
  reject: { from: ['pending', 'spam', 'visible'], to: 'rejected' },
  spam: { from: ['pending', 'visible', 'rejected'], to: 'spam' },
  restore: { from: ['rejected', 'spam'], to: 'visible' },
} as const satisfies Record<string, { from: readonly CommentLifecycleStatus[]; to: CommentLifecycleStatus }>;

export type ModerationTransition = keyof typeof MODERATION_TRANSITIONS;

/** Whether a moderator may `action` a comment that is `status` now. */
export function canModerate(action: ModerationTransition, status: string): boolean {
  return (MODERATION_TRANSITIONS[action].from as readonly string[]).includes(status);
}

/** Whether a comment in `status` is shown to readers (in lists, counts and streams). */
export function isPublicStatus(status: string): boolean {
  return (PUBLIC_STATUSES as readonly string[]).includes(status);
}

/** Statuses whose author may still edit or withdraw the comment (within the edit window). */
export const AUTHOR_EDITABLE_STATUSES: readonly CommentLifecycleStatus[] = ['visible', 'pending'];

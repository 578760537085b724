import type { ApiError } from '../../controllers/api-client.ts';
import type { Translation } from '../../i18n/translation.ts';

/* Small pieces the reader (comments.ts) and the writing tools (writer.ts) both use. */

/** The key of the top form. */
export const ROOT = 'root';

export type Field = 'name' | 'email' | 'body';

/** What one form (top, reply keyed by parent id, edit keyed `e` + id, report keyed `f` + id) shows. */
export interface FormState {
  busy?: boolean;
  /** The line above the buttons. */
  message?: string;
  /** The message only points at field errors: it goes when they are fixed. */
  fieldsMessage?: boolean;
  fields?: Partial<Record<Field, string>>;
  /** Characters in the textarea (trimmed, as the server counts), once the reader typed. */
  length?: number;
  /** The email field holds something: the reply-notification checkbox shows. */
  email?: boolean;
}

/** The message for a failed like, edit or delete. */
export function failure(t: Translation, error: unknown): string {
  const code = (error as ApiError).code;
  return code === 'forbidden' ? t.forbidden : code === 'edit_window_closed' ? t.editWindowClosed : (error as Error).message;
}

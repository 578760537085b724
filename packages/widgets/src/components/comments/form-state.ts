/* Small pieces the reader (comments.ts) and the writing tools (writer.ts) both use: no code but a constant. */

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

import type {
  CommentNode,
  CommentWithSource,
  FlagReason,
  NewCommentInput,
  NewFlag,
  PostedComment,
} from '@parley/schema';
import { COMMENT_BODY_MAX_LENGTH, EDIT_TOKEN_HEADER } from '@parley/schema/limits';
import { ApiError } from '../../controllers/api-client.ts';
import { authorTokenFor, rememberAuthorToken } from '../../controllers/author-storage.ts';
import { save } from '../../controllers/storage.ts';
import { ParleyCommentDeletedEvent } from '../../events/comment-deleted.ts';
import { ParleyCommentEditedEvent } from '../../events/comment-edited.ts';
import { ParleyCommentPostedEvent } from '../../events/comment-posted.ts';
import { completeEnglish } from '../../i18n/en-writer.ts';
import { localize, type Translation } from '../../i18n/localize.ts';
import { ReaderActions, failure } from './actions.ts';
import type { WriterCore } from './context.ts';
import { ROOT, type Field, type FormState } from './form-state.ts';
import { renderConfirmDelete, renderForm, renderReport } from './writer-templates.ts';

export { ROOT };
export { takeOver } from './actions.ts';

completeEnglish();

const FIELD_OF_PATH: Record<string, Field> = { body: 'body', 'author.name': 'name', 'author.email': 'email' };
/** Per server and site: the minimum fill time from `GET /api/sites/:id`, asked once per page. */
const minFills = new Map<string, Promise<number>>();
/**
 * The fill time assumed when the site's settings cannot be read (the server's default): waiting
 * it out is better than a "That was quick!" refusal the reader cannot understand.
 */
const UNKNOWN_FILL_SECONDS = 3;
/** The header that makes a retried POST answer with the first result instead of a second comment. */
const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** A random key for one submission; getRandomValues, unlike randomUUID, also works on plain-http pages. */
const newKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * Resolves once `performance.now()` has passed `until`. A timer may wake a little early by that
 * clock (Firefox jitters both timers and `performance.now()`), and a fill time 1 ms short is
 * refused by the server: so it checks again, and keeps a few milliseconds of margin.
 */
async function waitOut(until: number): Promise<void> {
  const MARGIN_MS = 5;
  for (let left = until + MARGIN_MS - performance.now(); left > 0; left = until + MARGIN_MS - performance.now()) {
    await new Promise((resolve) => setTimeout(resolve, left));
  }
}

/** Characters that count against the limit: what the server checks (the trimmed body). */
export const bodyLength = (text: string) => text.trim().length;

/**
 * The writing tools of `<parley-comments>`: the top, reply and edit forms with their preview, the
 * report form and the delete confirmation. A chunk of its own, loaded on the reader's first
 * interaction with the element (`comments.ts`), so reading a thread never pays for writing.
 */
export class CommentWriter extends ReaderActions {
  /** Id of the comment whose reply form is open. */
  replyTo: string | null = null;
  /** Id of the comment whose report form is open. */
  reporting: string | null = null;
  /** Id of the comment being edited in place. */
  editing: string | null = null;
  /** Id of the comment whose deletion waits for the reader's confirmation. */
  confirming: string | null = null;
  /** Per-form state, keyed `root`, parent id (reply), `e` + id (edit), `f` + id (report). */
  forms: Record<string, FormState> = {};
  /** Per-form preview: absent while writing, `null` while rendering, else the server's HTML. */
  previews: Record<string, string | null> = {};
  /** When each new-comment form was shown (`performance.now()`), to send how long it was open as `fillMs`. */
  readonly shown = new Map<string, number>();
  /** The last failed submission per form: sent again unchanged, it keeps its idempotency key. */
  readonly #attempts = new Map<string, { fingerprint: string; key: string }>();

  constructor(core: WriterCore) {
    super(core);
    // Asked at once: a site the server does not know is said before the reader has typed a word.
    void this.minFill();
    const shown = core.composerShown();
    if (shown !== undefined) this.shown.set(ROOT, shown);
  }

  #update(): void {
    this.ctx.element.requestUpdate();
  }

  setForm(key: string, state: FormState): void {
    this.forms = { ...this.forms, [key]: state };
    this.#update();
  }

  // ---- templates (writer-templates.ts) ----------------------------------------------------------

  renderForm(t: Translation, key: string, node?: CommentNode, replyToName?: string) {
    return renderForm(this, t, key, node, replyToName);
  }

  /** What opens under a comment's actions: its report form or the delete confirmation. */
  renderUnder(t: Translation, node: CommentNode) {
    return this.reporting === node.id ? renderReport(this, t, node.id) : this.confirming === node.id ? renderConfirmDelete(this, t, node) : null;
  }

  // ---- opening and closing ------------------------------------------------------------------------

  async openReply(id: string): Promise<void> {
    this.replyTo = this.replyTo === id ? null : id;
    this.#update();
    await this.ctx.focusOn(`#body-${id}`);
  }

  edit(id: string): void {
    this.editing = id;
    this.confirming = null;
    this.#update();
    void this.ctx.focusOn(`#body-e${id}`);
  }

  closeForm(key: string): void {
    const id = key.replace(/^e/, '');
    if (key[0] === 'e') this.editing = null;
    else this.replyTo = null;
    this.shown.delete(key);
    delete this.previews[key];
    this.setForm(key, {});
    void this.ctx.focusOn(`#comment-${id} [part~='${key[0] === 'e' ? 'edit' : 'reply'}-button']`);
  }

  async openReport(id: string): Promise<void> {
    const open = this.reporting !== id;
    this.reporting = open ? id : null;
    this.setForm(`f${id}`, {});
    await this.ctx.focusOn(open ? `#reason-${id}` : `#comment-${id} [part~='report-button']`);
  }

  /** Delete asks first: the buttons sit next to Edit and Reply, and a deletion cannot be taken back. */
  askDelete(id: string): void {
    this.confirming = this.confirming === id ? null : id;
    this.#update();
    void this.ctx.focusOn(this.confirming ? `#confirm-${id} [part~='confirm-delete-button']` : `#comment-${id} [part~='delete-button']`);
  }

  /** The reader typed: a field error about that field is out of date, and the counter moves. */
  onInput(key: string, event: Event): void {
    const target = event.target as HTMLInputElement;
    const field = target.name as Field;
    const state = this.forms[key] ?? {};
    if (state.fields?.[field] || field === 'body' || field === 'email') {
      const { [field]: _, ...fields } = state.fields ?? {};
      const stillInvalid = Object.keys(fields).length > 0;
      this.setForm(key, {
        ...state,
        fields,
        message: state.fieldsMessage && !stillInvalid ? undefined : state.message,
        ...(field === 'body' ? { length: bodyLength(target.value) } : {}),
        ...(field === 'email' ? { email: !!target.value.trim() } : {}),
      });
    }
  }

  // ---- server calls -----------------------------------------------------------------------------

  /**
   * The site's minimum fill time, fetched the first time a form gets focus: a reader who is quicker
   * than that waits a moment before the comment is sent instead of being refused. When the settings
   * cannot be read, the console says why and the server's default is waited out.
   */
  readonly minFill = (): Promise<number> => {
    const key = this.ctx.storeKey();
    let seconds = minFills.get(key);
    if (!seconds) {
      const path = `/api/sites/${encodeURIComponent(this.ctx.siteId())}`;
      seconds = this.ctx.call('GET /api/sites/{id}', { params: { id: this.ctx.siteId() } }).then(
        (site) => site.minFillSeconds,
        (error: ApiError) => {
          console.warn(
            `Parley: GET ${path} failed (${error.status || 'no answer'} ${error.code}: ${error.message}). ` +
              (error.status === 0
                ? "No readable answer: the server is down, or it does not allow this page's origin (CORS). "
                : '') +
              `Waiting ${UNKNOWN_FILL_SECONDS} s before posting.`,
          );
          // An answer that refuses (an unknown site) is worth telling the reader; a missing one is not yet.
          if (error.status) this.setForm(ROOT, { ...this.forms[ROOT], message: localize(this.ctx.element).siteProblem(error.message) });
          return UNKNOWN_FILL_SECONDS;
        },
      );
      minFills.set(key, seconds);
    }
    return seconds;
  };

  async showPreview(key: string, on: boolean): Promise<void> {
    const textarea = this.ctx.element.renderRoot.querySelector<HTMLTextAreaElement>(`#body-${key}`)!;
    const { [key]: _, ...rest } = this.previews;
    if (!on) {
      this.previews = rest;
      this.#update();
      await this.ctx.focusOn(`#body-${key}`);
      return;
    }
    const body = textarea.value.trim();
    this.previews = { ...rest, [key]: body ? null : '' };
    this.#update();
    if (!body) return;
    let result = '';
    try {
      result = (await this.ctx.call('POST /api/preview', { body: { site: this.ctx.siteId(), body } })).html;
    } catch (error) {
      this.setForm(key, { message: (error as Error).message });
    }
    if (key in this.previews) this.previews = { ...this.previews, [key]: result };
    this.#update();
  }

  /** The idempotency key of this submission: the one of the last failed attempt when nothing changed. */
  #keyFor(form: string, input: NewCommentInput): string {
    const { fillMs: _, ...content } = input;
    const fingerprint = JSON.stringify(content);
    const last = this.#attempts.get(form);
    if (last?.fingerprint === fingerprint) return last.key;
    const attempt = { fingerprint, key: newKey() };
    this.#attempts.set(form, attempt);
    return attempt.key;
  }

  async submit(form: HTMLFormElement, key: string, node?: CommentNode): Promise<void> {
    if (this.forms[key]?.busy) return;
    const { ctx } = this;
    const data = Object.fromEntries(new FormData(form)) as Record<string, string>;
    const t = localize(ctx.element);
    const edit = key[0] === 'e';
    const name = data.name?.trim() ?? '';
    const email = data.email?.trim() ?? '';
    const body = data.body ?? '';
    // Too long is said here, before anything is sent; the text is never cut.
    const over = bodyLength(body) - COMMENT_BODY_MAX_LENGTH;
    if (over > 0) {
      this.#refuse(key, t, { body: t.tooLong(over) }, edit);
      await ctx.focusOn(`#body-${key}`);
      return;
    }
    const length = this.forms[key]?.length;
    this.setForm(key, { busy: true, length, email: !!email });
    let comment: PostedComment | CommentWithSource;
    try {
      if (edit) {
        comment = await ctx.call('PATCH /api/comments/{id}', {
          params: { id: node!.id },
          body: { site: ctx.siteId(), body },
          headers: { [EDIT_TOKEN_HEADER]: ctx.own()[node!.id]?.token ?? '' },
        });
      } else {
        // Measured on this page's monotonic clock only: a reader whose system clock is off is not refused.
        const shown = this.shown.get(key) ?? performance.now();
        await waitOut(shown + (await this.minFill()) * 1000);
        const input: NewCommentInput = {
          site: ctx.siteId(),
          page: ctx.page(),
          body,
          ...(key !== ROOT ? { parentId: key } : {}),
          ...(name || email ? { author: { ...(name ? { name } : {}), ...(email ? { email } : {}) } } : {}),
          ...(email && data.notify ? { notify: true } : {}),
          honeypot: data.website ?? '',
          fillMs: Math.ceil(performance.now() - shown),
          // The proof of an earlier approved comment for `first-time` sites (issue 14): only this browser has it.
          ...(authorTokenFor(ctx.storeKey(), email) ? { authorToken: authorTokenFor(ctx.storeKey(), email)! } : {}),
        };
        comment = await ctx.call('POST /api/comments', { body: input, headers: { [IDEMPOTENCY_HEADER]: this.#keyFor(key, input) } });
        this.#attempts.delete(key);
      }
    } catch (error) {
      const fields: FormState['fields'] = {};
      for (const issue of error instanceof ApiError ? error.issues : []) {
        const field = FIELD_OF_PATH[issue.path];
        if (field) fields[field] ??= issue.message;
      }
      const { status, retryAfter } = error as ApiError;
      const message = status === 429 && retryAfter ? t.tooFast(retryAfter) : edit ? failure(t, error) : t.postError((error as Error).message);
      // The text stays in the form whatever went wrong.
      await this.#refuse(key, t, fields, edit, message);
      return;
    }
    this.#done(form, key, data, comment, node);
  }

  /**
   * Shows why a form was not sent: each field's reason next to it, once; the line above the
   * buttons then only says to look there (it would repeat "must not be empty" otherwise).
   */
  async #refuse(key: string, t: Translation, fields: FormState['fields'] & object, edit: boolean, message?: string): Promise<void> {
    const invalid = (['name', 'email', 'body'] as const).find((field) => fields[field]);
    const summary = invalid ? (edit ? t.fixFields : t.postError(t.fixFields)) : message;
    const state = this.forms[key] ?? {};
    this.setForm(key, { fields, message: summary, fieldsMessage: !!invalid, length: state.length, email: state.email });
    void this.ctx.announce(invalid ? `${summary} ${fields[invalid]}` : (summary ?? ''));
    if (invalid) await this.ctx.focusOn(`#${invalid}-${key}`);
  }

  #done(form: HTMLFormElement, key: string, data: Record<string, string>, comment: PostedComment | CommentWithSource, node?: CommentNode): void {
    const { ctx } = this;
    const t = localize(ctx.element);
    this.setForm(key, {});
    const { [key]: _, ...previews } = this.previews;
    this.previews = previews;
    const { id } = comment;
    if (key[0] === 'e') {
      this.setOwn(id, { ...ctx.own()[id]!, body: comment.body });
      Object.assign(node!, { html: comment.html, editedAt: comment.editedAt });
      this.editing = null;
      // An edit that adds a blocked word sends the comment back to the moderators.
      const held = (comment as PostedComment).status === 'pending';
      const newly = held && !(id in ctx.held());
      if (newly) ctx.thread()!.total--;
      if (held) this.setHeld(id, node);
      void ctx.announce(newly ? t.commentPending : t.commentEdited);
      ctx.element.dispatchEvent(new ParleyCommentEditedEvent(comment as CommentWithSource));
    } else {
      const name = data.name?.trim() ?? '';
      const email = data.email?.trim() ?? '';
      save('me', data.remember ? { name, email } : undefined);
      const posted = comment as PostedComment;
      const held = posted.status === 'pending';
      this.setOwn(id, { token: posted.editToken, body: posted.body, editableUntil: posted.editableUntil });
      rememberAuthorToken(ctx.storeKey(), email, posted.authorToken);
      this.shown.delete(key);
      form.querySelector('textarea')!.value = '';
      if (key !== ROOT) this.replyTo = null;
      const { editToken: _token, editableUntil: _until, body: _body, status: _status, message: _message, authorToken: _author, ...shown } = posted;
      const created: CommentNode = { ...shown, status: 'visible', replies: [] };
      if (held) this.setHeld(id, created);
      this.showPosted(created, held);
      void ctx.announce(held ? t.commentPending : t.commentPosted);
      ctx.element.dispatchEvent(new ParleyCommentPostedEvent(posted));
    }
    this.#update();
    void ctx.focusOn(`#comment-${id}`);
  }

  async flag(form: HTMLFormElement, id: string): Promise<void> {
    const key = `f${id}`;
    if (this.forms[key]?.busy) return;
    const t = localize(this.ctx.element);
    const { reason, detail } = Object.fromEntries(new FormData(form)) as Record<string, string>;
    this.setForm(key, { busy: true });
    let message = t.reported;
    try {
      const body: NewFlag = { reason: reason as FlagReason, ...(detail?.trim() ? { detail } : {}) };
      await this.ctx.call('POST /api/comments/{id}/flag', { params: { id }, body });
    } catch (error) {
      message = (error as ApiError).code === 'already_flagged' ? t.alreadyReported : '';
      if (!message) {
        message = (error as Error).message;
        this.setForm(key, { message });
        void this.ctx.announce(message);
        return;
      }
    }
    this.setForm(key, {});
    this.ctx.setNote(id, { message, ok: true });
    this.reporting = null;
    void this.ctx.announce(message);
    await this.ctx.focusOn(`#comment-${id} [part~='report-button']`);
  }

  async deleteComment(node: CommentNode): Promise<void> {
    const { ctx } = this;
    const t = localize(ctx.element);
    const { id } = node;
    this.confirming = null;
    try {
      const result = await ctx.call('DELETE /api/comments/{id}', {
        params: { id },
        query: { site: ctx.siteId() },
        headers: { [EDIT_TOKEN_HEADER]: ctx.own()[id]?.token ?? '' },
      });
      this.setOwn(id);
      ctx.setNote(id);
      this.applyDelete(id, result.status);
      this.setHeld(id);
      void ctx.announce(t.commentDeleted);
      ctx.element.dispatchEvent(new ParleyCommentDeletedEvent(id, node.page, result.status));
      await ctx.focusOn(result.status === 'deleted' ? `#comment-${id}` : '#heading');
    } catch (error) {
      const message = failure(t, error);
      ctx.setNote(id, { message });
      void ctx.announce(message);
      this.#update();
    }
  }
}

import { html, nothing, type TemplateResult } from 'lit';
import type { CommentNode, FlagReason } from '@parley/schema';
import { AUTHOR_EMAIL_MAX_LENGTH, AUTHOR_NAME_MAX_LENGTH, COMMENT_BODY_MAX_LENGTH, FLAG_REASON_DETAIL_MAX_LENGTH } from '@parley/schema/limits';
import { load } from '../../controllers/storage.ts';
import type { Translation } from '../../i18n/translation.ts';
import { sanitized } from './sanitize.ts';
import { ROOT, type Field } from './form-state.ts';
import type { CommentWriter } from './writer.ts';

/**
 * The reasons a reader can pick, in the schema's order, with their labels. A table over the
 * schema's type (a reason added there fails to compile until it is here), not its FLAG_REASONS
 * array: that would sit in the first load, with the limits module the reader's code reads.
 */
const REASON_LABELS = {
  spam: 'reasonSpam',
  abuse: 'reasonAbuse',
  'off-topic': 'reasonOffTopic',
  'personal-data': 'reasonPersonalData',
  other: 'reasonOther',
} as const satisfies Record<FlagReason, keyof Translation>;

/** The counter shows from this share of the limit on (a long comment sees it coming). */
const COUNTER_FROM = 0.9;

/** The top form (`root`), a reply form (keyed by the parent's id) or an edit form (`e` + id, with `node`). */
export function renderForm(w: CommentWriter, t: Translation, key: string, node?: CommentNode, replyToName?: string): TemplateResult {
  const state = w.forms[key] ?? {};
  const edit = key[0] === 'e';
  const preview = w.previews[key];
  const { labelName, labelComment, labelSubmit } = w.ctx.element;
  const me = load<{ name?: string; email?: string } | null>('me', null);
  const fieldError = (field: Field) =>
    state.fields?.[field] ? html`<p class="error field-error" id="${field}-${key}-error">${state.fields[field]}</p>` : nothing;
  const invalid = (field: Field) => (state.fields?.[field] ? 'true' : 'false');
  const describedBy = (field: Field, ...hints: string[]) =>
    [...hints, state.fields?.[field] && `${field}-${key}-error`].filter(Boolean).join(' ') || nothing;
  /** The optional name or email field of a new comment, remembered from last time if the reader asked. */
  const identityField = (field: 'name' | 'email', label: string, max: number, hint?: string) =>
    html`<div class="field">
      <label for="${field}-${key}">${label} <span class="muted">${t.optional}</span></label>
      <input
        id="${field}-${key}"
        name=${field}
        type=${field === 'email' ? 'email' : 'text'}
        autocomplete=${field}
        maxlength=${max}
        dir="auto"
        .value=${me?.[field] ?? ''}
        aria-invalid=${invalid(field)}
        aria-describedby=${describedBy(field, hint ? `${field}-${key}-hint` : '')}
      />
      ${hint ? html`<p class="hint muted" id="${field}-${key}-hint">${hint}</p>` : nothing}
      ${fieldError(field)}
    </div>`;
  // No maxlength on the textarea: it would cut a long paste silently. The counter says it instead.
  const length = state.length ?? 0;
  const over = length > COMMENT_BODY_MAX_LENGTH;
  const counter =
    length >= COMMENT_BODY_MAX_LENGTH * COUNTER_FROM
      ? html`<p class=${over ? 'counter error' : 'counter muted'} part="counter" id="count-${key}">
          ${t.characters(length.toLocaleString(t.$code), COMMENT_BODY_MAX_LENGTH.toLocaleString(t.$code))}
        </p>`
      : nothing;
  const emailGiven = state.email ?? !!me?.email;
  if (!edit && !w.shown.has(key)) w.shown.set(key, performance.now());
  // The top form puts who is writing under the text: its placeholder (comments.ts) is the label,
  // textarea and button, and what the tools add must not move the textarea the reader is in.
  // Reply forms open with focus in the textarea: the identity fields above it stay out of the
  // way of "type, Tab, Enter".
  const identity = edit
    ? nothing
    : html`<div class="trap" aria-hidden="true">
          <label for="hp-${key}">${t.honeypotLabel}</label><input id="hp-${key}" name="website" tabindex="-1" autocomplete="off" />
        </div>
        <div class="identity">
          ${identityField('name', labelName || t.nameLabel, AUTHOR_NAME_MAX_LENGTH)}
          ${identityField('email', t.emailLabel, AUTHOR_EMAIL_MAX_LENGTH, t.emailHint)}
          <label class="check"><input type="checkbox" name="remember" .checked=${!!me} /> ${t.remember}</label>
          ${emailGiven ? html`<label class="check" part="notify"><input type="checkbox" name="notify" /> ${t.notifyReplies}</label>` : nothing}
        </div>`;
  return html`<form
    part="form"
    class=${key === ROOT ? 'form' : 'form sub-form'}
    aria-label=${replyToName ? t.replyTo(replyToName) : edit ? t.edit : t.commentsHeading}
    @submit=${(event: SubmitEvent) => {
      event.preventDefault();
      void w.submit(event.currentTarget as HTMLFormElement, key, node);
    }}
    @input=${(event: Event) => w.onInput(key, event)}
    @focusin=${w.minFill}
  >
    ${key === ROOT ? nothing : identity}
    <div class="field">
      <div class="tabs">
        <label for="body-${key}">${labelComment || t.bodyLabel}</label>
        <button type="button" part="tab" aria-pressed=${preview === undefined} @click=${() => w.showPreview(key, false)}>${t.write}</button>
        <button type="button" part="tab" aria-pressed=${preview !== undefined} @click=${() => w.showPreview(key, true)}>${t.preview}</button>
      </div>
      <textarea
        id="body-${key}"
        name="body"
        part="textarea"
        dir="auto"
        rows=${key === ROOT ? 4 : 3}
        required
        .value=${edit ? (w.ctx.own()[node!.id]?.body ?? '') : ''}
        ?hidden=${preview !== undefined}
        aria-invalid=${over || state.fields?.body ? 'true' : 'false'}
        aria-describedby=${describedBy('body', `md-${key}`, over ? `count-${key}` : '')}
      ></textarea>
      ${preview === undefined
        ? nothing
        : html`<div class="body preview" part="preview" dir="auto" aria-busy=${preview === null}>
            ${preview === null ? t.loading : preview ? sanitized(state, preview) : t.previewEmpty}
          </div>`}
      <div class="under">
        <p class="hint muted" id="md-${key}">${t.markdownHint}</p>
        ${counter}
      </div>
      ${fieldError('body')}
    </div>
    ${key === ROOT ? identity : nothing}
    ${state.message ? html`<p class="error" part="form-error">${state.message}</p>` : nothing}
    <div class="actions">
      <button type="submit" class="button" part="submit" ?disabled=${state.busy}>
        ${state.busy ? t.posting : edit ? t.save : key !== ROOT ? t.submitReply : labelSubmit || t.submit}
      </button>
      ${key === ROOT ? nothing : html`<button type="button" class="button secondary" @click=${() => w.closeForm(key)}>${t.cancel}</button>`}
    </div>
  </form>`;
}

/** The form under a comment to report it: a reason from the schema's list and optional details. */
export function renderReport(w: CommentWriter, t: Translation, id: string): TemplateResult {
  const state = w.forms[`f${id}`] ?? {};
  return html`<form
    part="report-form"
    class="form sub-form"
    aria-label=${t.report}
    @submit=${(event: SubmitEvent) => {
      event.preventDefault();
      void w.flag(event.currentTarget as HTMLFormElement, id);
    }}
  >
    <div class="field">
      <label for="reason-${id}">${t.reportReason}</label>
      <select id="reason-${id}" name="reason">
        ${Object.entries(REASON_LABELS).map(([reason, label]) => html`<option value=${reason}>${t[label]}</option>`)}
      </select>
    </div>
    <div class="field">
      <label for="detail-${id}">${t.reportDetail} <span class="muted">${t.optional}</span></label>
      <textarea id="detail-${id}" name="detail" rows="2" dir="auto" maxlength=${FLAG_REASON_DETAIL_MAX_LENGTH}></textarea>
    </div>
    ${state.message ? html`<p class="error" part="form-error">${state.message}</p>` : nothing}
    <div class="actions">
      <button type="submit" class="button" part="submit" ?disabled=${state.busy}>${t.sendReport}</button>
      <button type="button" class="button secondary" @click=${() => w.openReport(id)}>${t.cancel}</button>
    </div>
  </form>`;
}

/** "Delete this comment?" with the two answers, under the comment's actions. */
export function renderConfirmDelete(w: CommentWriter, t: Translation, node: CommentNode): TemplateResult {
  return html`<div class="confirm" part="confirm-delete" id="confirm-${node.id}" role="group" aria-labelledby="confirm-${node.id}-text">
    <p id="confirm-${node.id}-text">${t.confirmDelete}</p>
    <div class="actions">
      <button type="button" class="button danger" part="confirm-delete-button" @click=${() => w.deleteComment(node)}>${t.delete}</button>
      <button type="button" class="button secondary" @click=${() => w.askDelete(node.id)}>${t.cancel}</button>
    </div>
  </div>`;
}

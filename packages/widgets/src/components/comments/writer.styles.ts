import { css } from '../../styles/css.ts';

/**
 * What only the writing tools draw (the name and email fields, Write/Preview tabs, hints, reply
 * and edit forms, field errors, the length counter, the delete confirmation, the honeypot):
 * adopted with them (`actions.ts`), not part of the first load.
 */
export const writerStyles = css`
  .identity,
  .tabs {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem var(--_gap);
  }
  .identity {
    align-items: start;
  }
  .identity .field {
    flex: 1 1 14rem;
  }
  label .muted,
  .check {
    font-weight: 400;
  }
  .check {
    flex-basis: 100%;
  }
  .tabs label {
    flex: 1 0 auto;
  }
  .hint,
  [part~='tab'] {
    margin: 0;
    font-size: 0.8125em;
  }
  [part~='tab'] {
    padding: 0.15em 0.7em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: none;
    color: var(--_muted);
  }
  [part~='tab'][aria-pressed='true'] {
    color: var(--_text);
    border-color: var(--_accent);
    font-weight: 600;
  }
  .under {
    display: flex;
    justify-content: space-between;
    align-items: baseline;
    gap: var(--_gap);
  }
  .sub-form {
    margin: var(--_gap) 0 var(--_space);
    margin-inline-start: var(--_indent);
    padding-inline-start: var(--_space);
    border-inline-start: 2px solid var(--_accent);
  }
  article .sub-form {
    margin: var(--_gap) 0 0;
  }
  [aria-invalid='true'] {
    border-color: var(--_danger) !important;
  }
  .counter {
    margin: 0;
    font-size: 0.8125em;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  .confirm {
    display: grid;
    gap: 0.5rem;
    margin-top: var(--_gap);
    padding: var(--_gap);
    border: 1px solid var(--_danger);
    border-radius: var(--_radius);
  }
  .confirm p {
    margin: 0;
  }
  .button:disabled {
    opacity: 0.6;
    cursor: progress;
  }
  .button.danger {
    background: transparent;
    color: var(--_danger);
    border-color: var(--_danger);
  }
  .field-error,
  [part~='form-error'] {
    font-size: 0.875em;
  }
  /* The honeypot: in the form's own box (never pushed off-screen, which widens RTL pages and
     shows a sliver on narrow ones), clipped to nothing. Not display:none or visibility:hidden,
     which form-filling bots skip. */
  .form {
    position: relative;
  }
  .trap {
    position: absolute;
    inset-block-start: 0;
    inset-inline-start: 0;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    pointer-events: none;
  }
`;

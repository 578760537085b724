import { css } from 'lit';

export const styles = css`
  section {
    max-width: var(--parley-max-width, 48rem);
  }
  .form {
    display: grid;
    gap: calc(var(--_space) * 0.75);
    margin-bottom: calc(var(--_space) * 1.5);
  }
  .reply-form {
    margin: calc(var(--_space) * 0.5) 0 var(--_space) calc(var(--_space) * 1.25);
    padding-left: var(--_space);
    border-left: 2px solid var(--_accent);
  }
  .field {
    display: grid;
    gap: 0.3rem;
  }
  label {
    font-size: 0.875em;
    font-weight: 600;
  }
  label .muted {
    font-weight: 400;
  }
  input,
  textarea {
    width: 100%;
    padding: 0.6em 0.75em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_field);
    color: inherit;
    font: inherit;
  }
  input {
    max-width: 22rem;
  }
  textarea {
    min-height: 5.5em;
    resize: vertical;
  }
  input:focus-visible,
  textarea:focus-visible {
    outline: var(--_focus);
    outline-offset: 0;
    border-color: var(--_accent);
  }
  [aria-invalid='true'] {
    border-color: var(--_danger);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  .field-error,
  [part~='form-error'] {
    margin: 0;
    font-size: 0.875em;
  }
  .thread {
    min-height: 4rem;
  }
  .count {
    margin: 0 0 calc(var(--_space) * 0.75);
    font-size: 1em;
    color: var(--_muted);
    font-weight: 600;
  }
  .loading,
  .empty {
    margin: 0;
    padding: var(--_space) 0;
  }
  .loading {
    min-height: 8rem;
  }
  .load-error {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space);
  }
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: calc(var(--_space) * 0.75);
  }
  .replies {
    margin: calc(var(--_space) * 0.75) 0 0 calc(var(--_space) * 1.25);
    padding-left: var(--_space);
    border-left: 2px solid var(--_border);
  }
  article {
    padding: calc(var(--_space) * 0.75) var(--_space);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  article:focus {
    outline: none;
  }
  article:focus-visible,
  article:focus {
    box-shadow: 0 0 0 2px var(--_accent);
  }
  header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25rem 0.6rem;
  }
  .avatar {
    display: inline-grid;
    place-items: center;
    width: 2rem;
    height: 2rem;
    border-radius: 50%;
    background: var(--_accent);
    color: var(--_accent-text);
    font-weight: 700;
    font-size: 0.875em;
  }
  .author {
    font-weight: 650;
  }
  time {
    color: var(--_muted);
    font-size: 0.875em;
  }
  .body {
    margin: 0.5rem 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
`;

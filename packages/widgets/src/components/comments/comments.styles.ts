import { css } from '../../styles/css.ts';

/** What the thread and the composer placeholder draw; the forms' own rules (fields, tabs, hints) are in `writer.styles.ts`. */

export const styles = css`
  :host {
    --_indent: var(--parley-indent, calc(var(--_space) * 1.25));
    --_gap: calc(var(--_space) * 0.75);
  }
  section {
    max-width: var(--parley-max-width, 48rem);
  }
  .form,
  .field,
  .comments,
  .replies {
    display: grid;
    gap: var(--_gap);
  }
  .form {
    margin-bottom: calc(var(--_space) * 1.5);
  }
  .field {
    gap: 0.3rem;
  }
  .actions,
  .toolbar,
  header,
  .load-error {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem var(--_gap);
  }
  label {
    font-size: 0.875em;
    font-weight: 600;
  }
  /* The writing tools' fields and preview share the look; their other rules load with them. */
  textarea,
  select,
  input:not([type='checkbox']),
  .preview {
    width: 100%;
    padding: 0.6em 0.75em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_field);
    color: inherit;
    font: inherit;
  }
  textarea,
  .preview {
    min-height: 5.5em;
    resize: vertical;
  }
  select {
    width: auto;
    padding: 0.3em;
  }
  textarea:focus-visible,
  input:focus-visible {
    outline: var(--_focus);
    outline-offset: 0;
  }
  .actions > *,
  .error {
    margin: 0;
  }
  .thread {
    min-height: 8rem;
  }
  .toolbar {
    justify-content: space-between;
    margin-bottom: var(--_gap);
  }
  .count {
    margin: 0;
    font-size: 1em;
    color: var(--_muted);
  }
  .loading,
  .empty {
    margin: 0;
    padding: var(--_space) 0;
  }
  .banner:not(:empty),
  [part~='more-button'],
  .load-error {
    margin: var(--_gap) 0;
  }
  .comments,
  .replies {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .replies[hidden] {
    display: none;
  }
  .replies {
    margin: var(--_gap) 0 0 var(--_indent);
    padding-left: var(--_space);
    border-left: 2px solid var(--_border);
  }
  .flat {
    margin-left: 0;
    padding-left: 0;
    border: 0;
  }
  .more-replies {
    margin: 0.5rem 0 0 var(--_indent);
  }
  article {
    padding: var(--_gap) var(--_space);
    border-radius: var(--_radius);
    background: var(--_surface);
    scroll-margin: 4rem;
  }
  article:focus {
    outline: none;
    box-shadow: 0 0 0 2px var(--_accent);
  }
  .highlighted {
    animation: fade 3s ease-out;
  }
  @keyframes fade {
    from {
      background: var(--_highlight);
    }
  }
  .avatar {
    width: var(--parley-avatar-size, 2rem);
    height: var(--parley-avatar-size, 2rem);
    border-radius: 50%;
    overflow: hidden;
  }
  .author {
    font-weight: 650;
  }
  header .muted,
  header a {
    color: var(--_muted);
    font-size: 0.875em;
    text-decoration: none;
  }
  a {
    color: var(--_accent);
  }
  .body {
    overflow-wrap: anywhere;
  }
  .body > * {
    margin: 0.5rem 0;
  }
  .body ul {
    list-style: disc;
  }
  .body pre {
    overflow-x: auto;
    padding: 0.5em;
    background: var(--_field);
  }
  .body blockquote {
    margin-left: 0;
    padding-left: var(--_space);
    border-left: 3px solid var(--_border);
  }
  svg {
    display: block;
  }
  .like svg {
    display: inline;
    width: 1em;
    height: 1em;
    vertical-align: -0.125em;
    fill: none;
    stroke: currentColor;
    stroke-width: 1.5;
  }
  .like[aria-pressed='true'] svg {
    fill: currentColor;
  }
  .badge {
    padding: 0 0.5em;
    border: 1px solid var(--_accent);
    border-radius: var(--_radius);
    font-size: 0.8125em;
  }
`;

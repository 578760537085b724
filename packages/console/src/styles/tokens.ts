import { css, unsafeCSS } from 'lit';
import { PALETTE, tokenDeclarations, type Token } from '@parley/widgets/styles/palette';

/*
 * The widgets' palette (one source: @parley/widgets/styles/palette) plus what a full-page app
 * needs: `page` and `raised` backgrounds, `ok` and `warn` badges. `theme="light|dark"` pins the
 * scheme; otherwise it follows the OS setting.
 */
const TOKENS: Token[] = [
  ['page', '#eef0f3', '#111418'],
  ['raised', '#fff', '#181b20'],
  ...PALETTE,
  ['ok', '#1a7f37', '#7ee2a8'],
  ['warn', '#8a5a00', '#f5c76b'],
];
const tokens = (value: (light: string, dark: string) => string) => unsafeCSS(tokenDeclarations(TOKENS, value));

/** Tokens and the light/dark switch, for the app shell (`<parley-console theme>`); children inherit the `--_*` values. */
export const themeStyles = css`
  :host {
    ${tokens((light) => light)}
    color-scheme: light dark;
    --_font: var(--parley-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_radius: var(--parley-radius, 0.5rem);
    --_space: var(--parley-space, 1rem);
    --_focus: var(--parley-focus-ring, 2px solid var(--_accent));
  }
  @supports (color: light-dark(#000, #fff)) {
    :host {
      ${tokens((light, dark) => `light-dark(${light},${dark})`)}
    }
  }
  :host([theme='light']) {
    ${tokens((light) => light)}
    color-scheme: light;
  }
  :host([theme='dark']) {
    ${tokens((_, dark) => dark)}
    color-scheme: dark;
  }
`;

/** Resets and the controls every view uses (buttons, fields, badges), as in the widgets. */
export const baseStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
    font-family: var(--_font);
    line-height: 1.5;
    color: var(--_text);
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  :focus-visible {
    outline: var(--_focus);
    outline-offset: 2px;
  }
  h1,
  h2,
  h3 {
    margin: 0;
    line-height: 1.25;
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
  }
  button {
    cursor: pointer;
  }
  input,
  select,
  textarea {
    padding: 0.45em 0.6em;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.75);
    background: var(--_field);
    min-width: 0;
  }
  label {
    font-weight: 600;
    font-size: 0.875rem;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .muted {
    color: var(--_muted);
  }
  .error {
    color: var(--_danger);
  }
  .button {
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
    padding: 0.45em 0.9em;
    border: 1px solid transparent;
    border-radius: var(--_radius);
    background: var(--_accent);
    color: var(--_accent-text);
    font-weight: 600;
    font-size: 0.875rem;
    line-height: 1.2;
  }
  .button:disabled {
    opacity: 0.6;
    cursor: progress;
  }
  .button.secondary {
    background: var(--_raised);
    color: var(--_text);
    border-color: var(--_border);
  }
  .button.secondary:hover {
    background: var(--_surface);
  }
  .button.danger {
    background: var(--_raised);
    color: var(--_danger);
    border-color: var(--_border);
  }
  .card {
    background: var(--_raised);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .badge {
    display: inline-block;
    padding: 0.05em 0.55em;
    border-radius: 999px;
    border: 1px solid var(--_border);
    font-size: 0.75rem;
    font-weight: 600;
    white-space: nowrap;
  }
  .badge.warn {
    color: var(--_warn);
  }
  .badge.danger {
    color: var(--_danger);
  }
  .badge.ok {
    color: var(--_ok);
  }
  table {
    border-collapse: collapse;
    width: 100%;
    font-size: 0.875rem;
  }
  th,
  td {
    text-align: start;
    padding: 0.5rem 0.75rem;
    border-bottom: 1px solid var(--_border);
    vertical-align: top;
  }
  th {
    font-weight: 600;
    color: var(--_muted);
  }
`;

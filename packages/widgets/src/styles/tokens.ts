import { unsafeCSS } from 'lit';
import { css } from './css.ts';
import { PALETTE, tokenDeclarations, type Token } from './palette.ts';

/*
 * Public custom properties are read, never set, on :host; private `--_*` copies hold the default.
 * That way a site may set `--parley-*` on any ancestor (inherited) or on the element itself.
 * Defaults are `light-dark()` pairs resolved against the inherited `color-scheme`: with
 * `theme="auto"` the widget follows the page (dark only when the page opts into dark, e.g.
 * `<meta name="color-scheme" content="light dark">` under a dark OS setting), never painting
 * light text on a page that stays white. `theme="light|dark"` pins the scheme.
 */
const TOKENS: Token[] = [['bg', 'transparent', 'transparent'], ...PALETTE];
const tokens = (value: (light: string, dark: string) => string) => unsafeCSS(tokenDeclarations(TOKENS, value));

/** Shared host reset, design tokens and the light/dark theme switch (`theme="light|dark|auto"`). */
export const hostStyles = css`
  :host {
    ${tokens((light) => light)}
    --_font: var(--parley-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_font-size: var(--parley-font-size, 1rem);
    --_radius: var(--parley-radius, 0.5rem);
    --_space: var(--parley-space, 1rem);
    --_focus: var(--parley-focus-ring, 2px solid var(--_accent));
    display: block;
    box-sizing: border-box;
    font-family: var(--_font);
    font-size: var(--_font-size);
    line-height: 1.5;
    color: var(--_text);
    background: var(--_bg);
  }
  @supports (color: light-dark(#000, #fff)) {
    :host {
      ${tokens((light, dark) => `light-dark(${light},${dark})`)}
    }
  }
  :host([theme='light']) {
    color-scheme: light;
  }
  :host([theme='dark']) {
    ${tokens((_, dark) => dark)}
    color-scheme: dark;
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
  h2 {
    margin: 0 0 var(--_space);
    font-size: var(--parley-heading-size, 1.375rem);
    line-height: 1.25;
    font-weight: 700;
  }
  button {
    font: inherit;
    cursor: pointer;
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
  .button {
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
    padding: 0.5em 1.1em;
    border: 1px solid transparent;
    border-radius: var(--_radius);
    background: var(--_accent);
    color: var(--_accent-text);
    font-weight: 600;
    line-height: 1.2;
  }
  .button.secondary {
    background: transparent;
    color: var(--_text);
    border-color: var(--_border);
  }
  .link-button {
    padding: 0;
    border: 0;
    background: none;
    color: var(--_accent);
    font-size: 0.875em;
    font-weight: 600;
  }
  .link-button:hover {
    text-decoration: underline;
  }
  .error {
    color: var(--_danger);
  }
`;

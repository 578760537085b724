import { unsafeCSS, type CSSResult } from 'lit';

/**
 * Lit's `css` tag, less its run-time check of what is interpolated (the check and its message are
 * bytes in every reader's first load, and Lit's tag stays out of the bundle): the types admit
 * only another style or a number, which is all the check allowed. `String.raw` keeps a CSS escape
 * such as `\2014` as written, where Lit's tag would read it as a JavaScript one.
 */
export const css = (strings: TemplateStringsArray, ...values: Array<CSSResult | number>): CSSResult => unsafeCSS(String.raw(strings, ...values));

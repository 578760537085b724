/**
 * `@parley/widgets/define`: importing it defines `<parley-comments>`, `<parley-related>` and
 * `<parley-count>` (skipping any name already taken, so a second copy is harmless). For
 * bundlers; pages without one load `/embed.js` from the server instead.
 */
import { ParleyComments } from './elements/comments.ts';
import { ParleyCount } from './elements/count.ts';
import { ParleyRelated } from './elements/related.ts';

export const PARLEY_ELEMENTS = {
  'parley-comments': ParleyComments,
  'parley-related': ParleyRelated,
  'parley-count': ParleyCount,
} as const;

/** Defines every Parley element in `registry` (default: the window's) under its usual name. */
export function defineParleyElements(registry: CustomElementRegistry = customElements): void {
  for (const [name, constructor] of Object.entries(PARLEY_ELEMENTS)) {
    if (!registry.get(name)) registry.define(name, constructor);
  }
}

defineParleyElements();

declare global {
  interface HTMLElementTagNameMap {
    'parley-comments': ParleyComments;
    'parley-related': ParleyRelated;
    'parley-count': ParleyCount;
  }
}

import type { PropertyDeclaration, ReactiveElement } from 'lit';

/**
 * `@property()` and `@state()` for class fields, in the (experimental) decorator form this
 * package compiles with. Lit's own `lit/decorators.js` also carries the standard-decorator and
 * accessor paths; for a plain field both come down to `createProperty(name, options)`, so these
 * few lines do the same and keep the embed smaller.
 */
export const property =
  (options?: PropertyDeclaration) =>
  (proto: object, name: PropertyKey): void =>
    (proto.constructor as typeof ReactiveElement).createProperty(name, options);

/** Internal reactive state: a property with no attribute. */
export const state = (): ReturnType<typeof property> => property({ state: true, attribute: false });

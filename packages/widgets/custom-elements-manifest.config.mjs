/**
 * `pnpm --filter @parley/widgets manifest` → custom-elements.json, from the components' JSDoc
 * (`@summary @event @slot @csspart @cssproperty`) and their Lit `@property` declarations.
 * The README's reference section is rendered from that file (tests/tools/readme-reference.ts).
 *
 * Three gaps between what the analyzer sees and what the sources say are closed here:
 * - the elements are registered in src/embed.ts from tables of `['tag-name', Class]` pairs (or
 *   `['tag-name', () => import(…).then((module) => module.Class)]` for the ones loaded on demand),
 *   not by `@customElement` or a literal `customElements.define('tag', Class)`;
 * - `dispatchEvent(new ParleyXEvent(data))` is recorded under the name of its first argument;
 *   the real name is the event class's `static eventName`;
 * - `@property({ type: Number }) limit = SOME_CONSTANT` has no type annotation to read;
 * - `static properties = { x: { state: true } }` is internal state with no attribute (Lit's rule),
 *   which the analyzer lists as an attribute unless `attribute: false` is spelled out too.
 */

const TAG_NAME = /^[a-z][a-z0-9]*-[a-z0-9-]*$/;

/** @returns {import('@custom-elements-manifest/analyzer').Plugin} */
function parleySources() {
  /** class name → tag name, from every `['parley-…', Identifier]` pair */
  const tags = new Map();
  /** path of the module the pairs were found in */
  let registryModule;
  /** `Class.field` → type text, from `@property({ type: Number })` on unannotated fields */
  const declaredTypes = new Map();
  /** `Class.field` of every `state: true` entry of a `static properties` table */
  const stateFields = new Set();

  return {
    name: 'parley-sources',
    analyzePhase({ ts, node, moduleDoc }) {
      if (ts.isArrayLiteralExpression(node) && node.elements.length === 2) {
        const [tag, constructor] = node.elements;
        // `['parley-x', ParleyX]`, or for an element loaded on demand `['parley-x', () => import(…).then((m) => m.ParleyX)]`.
        const name = ts.isIdentifier(constructor)
          ? constructor.text
          : ts.isArrowFunction(constructor)
            ? /\.([A-Z]\w*)\s*\)*\s*$/.exec(constructor.body.getText())?.[1]
            : undefined;
        if (ts.isStringLiteralLike(tag) && TAG_NAME.test(tag.text) && name) {
          tags.set(name, tag.text);
          registryModule = moduleDoc.path;
        }
      }
      if (ts.isClassDeclaration(node) && node.name) {
        for (const member of node.members) {
          const table = ts.isPropertyDeclaration(member) && member.name.getText() === 'properties' && member.initializer;
          if (table && ts.isObjectLiteralExpression(table)) {
            for (const entry of table.properties) {
              const state = ts.isPropertyAssignment(entry) && ts.isObjectLiteralExpression(entry.initializer)
                && entry.initializer.properties.some((p) => ts.isPropertyAssignment(p) && p.name.getText() === 'state' && p.initializer.kind === ts.SyntaxKind.TrueKeyword);
              if (state) stateFields.add(`${node.name.text}.${entry.name.getText()}`);
            }
          }
          if (!ts.isPropertyDeclaration(member) || member.type) continue;
          const options = propertyOptions(ts, member);
          const type = options?.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText() === 'type');
          if (type && ts.isIdentifier(type.initializer)) {
            declaredTypes.set(`${node.name.text}.${member.name.getText()}`, type.initializer.text.toLowerCase());
          }
        }
      }
    },
    packageLinkPhase({ customElementsManifest }) {
      // The analyzer lists files in the order the file system gives them, which differs between
      // checkouts: sorted, the manifest (and the README made from it) is the same everywhere.
      customElementsManifest.modules?.sort((a, b) => a.path.localeCompare(b.path));
      for (const module of customElementsManifest.modules ?? []) module.exports?.sort((a, b) => `${a.kind} ${a.name}`.localeCompare(`${b.kind} ${b.name}`));
      const modules = customElementsManifest.modules ?? [];
      const declarations = modules.flatMap((module) => (module.declarations ?? []).map((d) => ({ module, d })));
      const eventNames = new Map(
        declarations.flatMap(({ d }) => {
          const field = d.members?.find((m) => m.static && m.name === 'eventName' && typeof m.default === 'string');
          return field ? [[d.name, field.default.replace(/^['"`]|['"`]$/g, '')]] : [];
        }),
      );
      const entry = modules.find((module) => module.path === registryModule);
      if (entry?.exports) {
        // `customElements.define(name, constructor)` inside the registration loop is not a definition.
        entry.exports = entry.exports.filter((e) => e.kind !== 'custom-element-definition' || TAG_NAME.test(e.name));
      }

      for (const { module, d } of declarations) {
        if (!d.customElement) continue;
        const tagName = tags.get(d.name);
        if (tagName) {
          d.tagName ??= tagName;
          if (entry && !entry.exports?.some((e) => e.kind === 'custom-element-definition' && e.name === d.tagName)) {
            (entry.exports ??= []).push({
              kind: 'custom-element-definition',
              name: d.tagName,
              declaration: { name: d.name, module: module.path },
            });
          }
        }
        if (d.events) d.events = mergeEvents(d.events, eventNames);
        const isState = (name) => stateFields.has(`${d.name}.${name}`);
        if (d.attributes) d.attributes = d.attributes.filter((attribute) => !isState(attribute.fieldName ?? attribute.name));
        for (const member of d.members ?? []) if (isState(member.name)) delete member.attribute;
        for (const item of [...(d.members ?? []), ...(d.attributes ?? [])]) {
          const type = declaredTypes.get(`${d.name}.${item.fieldName ?? item.name}`);
          if (type && !item.type) item.type = { text: type };
        }
      }
    },
  };
}

/** The object literal passed to a member's `@property(…)` decorator, if any. */
function propertyOptions(ts, member) {
  for (const modifier of ts.canHaveDecorators(member) ? (ts.getDecorators(member) ?? []) : []) {
    const call = modifier.expression;
    if (ts.isCallExpression(call) && call.expression.getText() === 'property') {
      return call.arguments.find((arg) => ts.isObjectLiteralExpression(arg));
    }
  }
  return undefined;
}

/**
 * Names each dispatched event after its class's `eventName`, then keeps one entry per name,
 * preferring the documented (`@event`) one.
 */
function mergeEvents(events, eventNames) {
  const byName = new Map();
  for (const event of events) {
    const name = eventNames.get(event.type?.text) ?? event.name;
    const named = { ...event, name };
    const seen = byName.get(name);
    if (!seen || (!seen.description && named.description)) byName.set(name, { ...seen, ...named });
  }
  return [...byName.values()];
}

export default {
  globs: ['src/embed.ts', 'src/components/*/*.ts', 'src/events/*.ts'],
  exclude: ['src/**/*.test.ts', 'src/**/*-fixtures.ts', 'src/**/*.styles.ts', 'src/test/**'],
  outdir: '.',
  packagejson: false,
  litelement: true,
  plugins: [parleySources()],
};

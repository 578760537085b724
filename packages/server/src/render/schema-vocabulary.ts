import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The schema.org vocabulary as schema-dts ships it (types, their parents and properties, read from
 * its generated `schema.d.ts`), to check structured data at run time: every `@type` must be a
 * schema.org type and every property one that type (or an ancestor) has. Test-only.
 */
export class SchemaVocabulary {
  /** `XBase` → parents and own properties. */
  readonly #bases = new Map<string, { parents: string[]; properties: Set<string> }>();
  /** Type name (the `@type` value) → its `XBase`. */
  readonly #types = new Map<string, string>();

  static load(): SchemaVocabulary {
    const require = createRequire(import.meta.url);
    const file = require.resolve('schema-dts').replace(/schema\.js$/, 'schema.d.ts');
    return new SchemaVocabulary(readFileSync(file, 'utf8'));
  }

  constructor(source: string) {
    let current: { parents: string[]; properties: Set<string> } | undefined;
    let leafBase: string | undefined;
    for (const line of source.split('\n')) {
      const base = /^interface (\w+Base)(?: extends (.+))? \{$/.exec(line);
      if (base) {
        current = { parents: (base[2] ?? '').split(',').map((name) => name.trim()).filter((name) => /^\w+Base$/.test(name)), properties: new Set() };
        this.#bases.set(base[1]!, current);
        continue;
      }
      const leaf = /^export interface \w+Leaf extends (\w+Base) \{$/.exec(line);
      if (leaf) {
        leafBase = leaf[1];
        current = undefined;
        continue;
      }
      const type = /^ {4}"@type": "(\w+)";$/.exec(line);
      if (type && leafBase) {
        this.#types.set(type[1]!, leafBase);
        leafBase = undefined;
        continue;
      }
      const property = /^ {4}"([A-Za-z0-9_]+)"\??:/.exec(line);
      if (property && current) current.properties.add(property[1]!);
      if (line === '}') current = undefined;
    }
  }

  hasType(type: string): boolean {
    return this.#types.has(type);
  }

  /** Whether `type` or one of its ancestors has `property`. */
  hasProperty(type: string, property: string): boolean {
    const seen = new Set<string>();
    const stack = [this.#types.get(type)];
    while (stack.length) {
      const name = stack.pop();
      if (!name || seen.has(name)) continue;
      seen.add(name);
      const base = this.#bases.get(name);
      if (base?.properties.has(property)) return true;
      stack.push(...(base?.parents ?? []));
    }
    return false;
  }

  /** Every problem in a JSON-LD value: unknown types, properties a type does not have, nodes without a type. */
  problems(value: unknown, path = '$'): string[] {
    if (Array.isArray(value)) return value.flatMap((item, i) => this.problems(item, `${path}[${i}]`));
    if (!value || typeof value !== 'object') return [];
    const node = value as Record<string, unknown>;
    const keys = Object.keys(node).filter((key) => !key.startsWith('@'));
    const type = node['@type'];
    if (type === undefined) {
      // A reference to a node described elsewhere: only `@id`.
      return keys.length ? [`${path}: a node without @type has properties ${keys.join(', ')}`] : [];
    }
    if (typeof type !== 'string' || !this.hasType(type)) return [`${path}: unknown @type ${String(type)}`];
    if (path === '$' && node['@context'] !== 'https://schema.org') return [`${path}: @context is not https://schema.org`];
    return keys.flatMap((key) =>
      this.hasProperty(type, key) ? this.problems(node[key], `${path}.${key}`) : [`${path}: ${type} has no property ${key}`],
    );
  }
}

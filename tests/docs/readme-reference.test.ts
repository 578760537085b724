/**
 * README.md's element reference is what tests/tools/readme-reference.ts renders from a manifest
 * freshly generated from the sources: a JSDoc change without `docs:write` fails here.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  README,
  WRITE_COMMAND,
  analyzeToTemp,
  lineDiff,
  renderElement,
  renderReference,
  spliceReference,
  type Manifest,
} from '../tools/readme-reference.ts';

describe('README reference', () => {
  it('matches the manifest generated from the components', () => {
    const readme = readFileSync(README, 'utf8');
    const expected = spliceReference(readme, renderReference(analyzeToTemp()));
    if (expected !== readme) {
      assert.fail(`README.md's element reference disagrees with the components' JSDoc: run \`${WRITE_COMMAND}\` (pnpm docs:write in tests/).\n${lineDiff(readme, expected)}`);
    }
  });

  it('renders attributes, methods, events, parts and custom properties as tables, escaping pipes', () => {
    const element = {
      kind: 'class',
      name: 'XDemo',
      customElement: true,
      tagName: 'x-demo',
      summary: 'A demo.',
      attributes: [{ name: 'no-avatars', fieldName: 'noAvatars', type: { text: "'a' | 'b'" }, default: "'a'", description: 'Pick one.' }],
      members: [
        { kind: 'field' as const, name: 'noAvatars', attribute: 'no-avatars', reflects: true },
        { kind: 'field' as const, name: 'status', readonly: true, type: { text: 'string' }, description: 'State.' },
        { kind: 'field' as const, name: 'secret', privacy: 'private' as const },
        { kind: 'method' as const, name: 'reload', return: { type: { text: 'Promise<void>' } }, description: 'Again.' },
        { kind: 'method' as const, name: 'render', privacy: 'protected' as const },
      ],
      events: [{ name: 'x-done', type: { text: 'DoneEvent' }, description: 'Done.' }],
      cssParts: [{ name: 'card', description: 'A card.' }],
      cssProperties: [{ name: '--x-color', description: 'Colour.' }],
    };
    const text = renderElement(element);
    assert.match(text, /^### `<x-demo>`/);
    assert.ok(text.includes("| `no-avatars` (property `noAvatars`) | `'a' \\| 'b'` | `'a'` | Pick one. Reflected. |"), text);
    assert.ok(text.includes('| `status` (read-only) | `string` | State. |'), text);
    assert.ok(text.includes('| `reload(): Promise<void>` | Again. |'), text);
    assert.ok(!text.includes('secret') && !text.includes('render('), 'private and protected members stay out');
    assert.ok(text.includes('| `x-done` | `DoneEvent` | Done. |'), text);
    assert.ok(text.includes('| `card` | A card. |') && text.includes('| `--x-color` | Colour. |'), text);

    const manifest: Manifest = { schemaVersion: '2.1.0', modules: [{ path: 'x.ts', declarations: [element] }] };
    const spliced = spliceReference('top\n<!-- reference:start -->\nold\n<!-- reference:end -->\nbottom\n', renderReference(manifest));
    assert.ok(spliced.startsWith('top\n<!-- reference:start -->\n<!-- Generated'), spliced);
    assert.ok(spliced.endsWith('\n<!-- reference:end -->\nbottom\n') && !spliced.includes('old'), spliced);
    assert.throws(() => spliceReference('no markers', 'x'), /needs the markers/);
  });
});

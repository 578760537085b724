/**
 * The README's element reference, rendered from the custom elements manifest that
 * `@custom-elements-manifest/analyzer` makes from the components' JSDoc and Lit properties.
 *
 *   pnpm --filter @parley/tests docs:write    regenerate packages/widgets/custom-elements.json
 *                                             and rewrite README.md between the markers
 *   pnpm --filter @parley/tests docs:check    exit 1 with a diff when README.md is out of date
 *
 * tests/docs/readme-reference.test.ts runs the same check on every `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const WIDGETS_DIR = join(ROOT, 'packages/widgets');
export const README = join(ROOT, 'README.md');
export const MANIFEST = join(WIDGETS_DIR, 'custom-elements.json');
export const START_MARKER = '<!-- reference:start -->';
export const END_MARKER = '<!-- reference:end -->';
export const WRITE_COMMAND = 'node .ci/pnpm.mjs --filter @parley/tests docs:write';

// ── The parts of the manifest schema (custom-elements-manifest 2.x) this renders ──

interface TypeRef {
  text: string;
}
interface Documented {
  name: string;
  description?: string;
  summary?: string;
  deprecated?: boolean | string;
}
export interface Attribute extends Documented {
  type?: TypeRef;
  default?: string;
  fieldName?: string;
}
export interface Member extends Documented {
  kind: 'field' | 'method';
  type?: TypeRef;
  default?: string;
  privacy?: 'public' | 'private' | 'protected';
  static?: boolean;
  readonly?: boolean;
  attribute?: string;
  reflects?: boolean;
  parameters?: Array<Documented & { type?: TypeRef; optional?: boolean; rest?: boolean }>;
  return?: { type?: TypeRef; description?: string };
}
export interface Declaration extends Documented {
  kind: string;
  customElement?: boolean;
  tagName?: string;
  attributes?: Attribute[];
  members?: Member[];
  events?: Array<Documented & { type?: TypeRef }>;
  slots?: Documented[];
  cssParts?: Documented[];
  cssProperties?: Array<Documented & { default?: string; syntax?: string }>;
}
export interface Manifest {
  schemaVersion: string;
  modules: Array<{ path: string; declarations?: Declaration[] }>;
}

/** The reference's order: the page's two sections, then the badge; any other element after them by name. */
const ELEMENT_ORDER = ['parley-comments', 'parley-related', 'parley-count'];

/**
 * Every custom element with a tag name, in a fixed order: the analyzer meets modules in a different
 * order from build to build (elements loaded on demand), and the reference must not change with it.
 */
export function elementsOf(manifest: Manifest): Array<Declaration & { tagName: string }> {
  const rank = (tag: string) => (ELEMENT_ORDER.includes(tag) ? ELEMENT_ORDER.indexOf(tag) : ELEMENT_ORDER.length);
  return manifest.modules
    .flatMap((module) =>
      (module.declarations ?? []).filter(
        (d): d is Declaration & { tagName: string } => d.customElement === true && typeof d.tagName === 'string',
      ),
    )
    .sort((a, b) => rank(a.tagName) - rank(b.tagName) || a.tagName.localeCompare(b.tagName));
}

// ── Rendering ──────────────────────────────────────────────────────────────

/** Text for one table cell: one line, pipes escaped (also inside code spans, as GFM requires). */
function cell(text: string | undefined): string {
  return (text ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim();
}

function code(text: string | undefined): string {
  if (text === undefined || text === '') return '';
  return cell(text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``);
}

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function deprecated(item: Documented): string {
  if (!item.deprecated) return '';
  return typeof item.deprecated === 'string' ? ` **Deprecated:** ${item.deprecated}` : ' **Deprecated.**';
}

const isPublic = (member: Member) => !member.static && (member.privacy ?? 'public') === 'public' && !member.name.startsWith('#');

function signature(method: Member): string {
  const params = (method.parameters ?? [])
    .map((p) => `${p.rest ? '...' : ''}${p.name}${p.optional ? '?' : ''}${p.type ? `: ${p.type.text}` : ''}`)
    .join(', ');
  return `${method.name}(${params})${method.return?.type ? `: ${method.return.type.text}` : ''}`;
}

export function renderElement(element: Declaration & { tagName: string }): string {
  const out: string[] = [`### \`<${element.tagName}>\``, ''];
  if (element.summary) out.push(`**${cell(element.summary)}**`, '');
  if (element.description) out.push(element.description.trim(), '');

  const attributes = element.attributes ?? [];
  const members = (element.members ?? []).filter(isPublic);
  if (attributes.length) {
    const reflected = new Set(members.filter((m) => m.reflects).map((m) => m.name));
    out.push(
      '**Attributes**',
      '',
      table(
        ['Attribute', 'Type', 'Default', 'Description'],
        attributes.map((a) => {
          const property = a.fieldName && a.fieldName !== a.name ? ` (property \`${a.fieldName}\`)` : '';
          const reflects = a.fieldName && reflected.has(a.fieldName) ? ' Reflected.' : '';
          return [`\`${a.name}\`${property}`, code(a.type?.text), code(a.default), cell(`${a.description ?? ''}${reflects}${deprecated(a)}`)];
        }),
      ),
      '',
    );
  }

  const attributeFields = new Set(attributes.map((a) => a.fieldName ?? a.name));
  const properties = members.filter((m) => m.kind === 'field' && !attributeFields.has(m.name));
  if (properties.length) {
    out.push(
      '**Properties** (JavaScript only)',
      '',
      table(
        ['Property', 'Type', 'Description'],
        properties.map((p) => [`\`${p.name}\`${p.readonly ? ' (read-only)' : ''}`, code(p.type?.text), cell(`${p.description ?? ''}${deprecated(p)}`)]),
      ),
      '',
    );
  }

  const methods = members.filter((m) => m.kind === 'method');
  if (methods.length) {
    out.push(
      '**Methods**',
      '',
      table(['Method', 'Description'], methods.map((m) => [code(signature(m)), cell(`${m.description ?? ''}${deprecated(m)}`)])),
      '',
    );
  }

  const events = element.events ?? [];
  if (events.length) {
    out.push(
      '**Events** (all bubble and cross shadow roots)',
      '',
      table(['Event', 'Type', 'Description'], events.map((e) => [`\`${e.name}\``, code(e.type?.text), cell(`${e.description ?? ''}${deprecated(e)}`)])),
      '',
    );
  }

  const slots = element.slots ?? [];
  if (slots.length) {
    out.push('**Slots**', '', table(['Slot', 'Description'], slots.map((s) => [s.name ? `\`${s.name}\`` : '(default)', cell(s.description)])), '');
  }

  const parts = element.cssParts ?? [];
  if (parts.length) {
    out.push('**CSS parts**', '', table(['Part', 'Description'], parts.map((p) => [`\`${p.name}\``, cell(p.description)])), '');
  }

  const customProperties = element.cssProperties ?? [];
  if (customProperties.length) {
    out.push(
      '**CSS custom properties**',
      '',
      table(
        ['Property', 'Description'],
        customProperties.map((p) => [`\`${p.name}\``, cell(`${p.description ?? ''}${p.default ? ` Default: \`${p.default}\`.` : ''}`)]),
      ),
      '',
    );
  }
  return out.join('\n').trimEnd();
}

/** The whole generated section, markers excluded. */
export function renderReference(manifest: Manifest): string {
  const elements = elementsOf(manifest);
  if (elements.length === 0) throw new Error('The manifest has no custom elements with a tag name');
  return [
    `<!-- Generated from packages/widgets/custom-elements.json by tests/tools/readme-reference.ts: edit the components' JSDoc, then run \`${WRITE_COMMAND}\`. -->`,
    '',
    ...elements.map((element) => renderElement(element) + '\n'),
  ]
    .join('\n')
    .trimEnd();
}

/** README text with the section between the markers replaced. */
export function spliceReference(readme: string, reference: string): string {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`README.md needs the markers ${START_MARKER} and ${END_MARKER}, in that order`);
  }
  return `${readme.slice(0, start + START_MARKER.length)}\n${reference}\n${readme.slice(end)}`;
}

// ── Making the manifest ────────────────────────────────────────────────────

/**
 * Runs the analyzer exactly as the widgets' `manifest` script does (same config file), writing
 * `custom-elements.json` into `outDir`, and returns the parsed manifest.
 */
export function analyze(outDir: string): Manifest {
  const bin = join(WIDGETS_DIR, 'node_modules/.bin/custom-elements-manifest');
  // The analyzer joins --outdir onto its working directory, so it has to be relative.
  const result = spawnSync(bin, ['analyze', '--litelement', '--quiet', '--outdir', relative(WIDGETS_DIR, outDir) || '.'], {
    cwd: WIDGETS_DIR,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (result.error || result.status !== 0) {
    throw new Error(
      `custom-elements-manifest analyze failed (${result.error?.message ?? `exit ${result.status}`}); is @custom-elements-manifest/analyzer installed in packages/widgets?\n${result.stdout}${result.stderr}`,
    );
  }
  return JSON.parse(readFileSync(join(outDir, 'custom-elements.json'), 'utf8')) as Manifest;
}

/** Analyzes into a temporary folder, leaving the committed manifest alone. */
export function analyzeToTemp(): Manifest {
  const dir = mkdtempSync(join(tmpdir(), 'parley-cem-'));
  try {
    return analyze(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A short line diff: the first lines where `actual` and `expected` differ, with context. */
export function lineDiff(actual: string, expected: string, maxLines = 40): string {
  const a = actual.split('\n');
  const b = expected.split('\n');
  let first = 0;
  while (first < a.length && first < b.length && a[first] === b[first]) first++;
  let endA = a.length - 1;
  let endB = b.length - 1;
  while (endA >= first && endB >= first && a[endA] === b[endB]) {
    endA--;
    endB--;
  }
  const from = Math.max(0, first - 2);
  const lines = [
    `@@ README.md line ${first + 1} @@`,
    ...a.slice(from, first).map((line) => `  ${line}`),
    ...a.slice(first, endA + 1).map((line) => `- ${line}`),
    ...b.slice(first, endB + 1).map((line) => `+ ${line}`),
  ];
  return lines.length > maxLines ? [...lines.slice(0, maxLines), `… ${lines.length - maxLines} more lines`].join('\n') : lines.join('\n');
}

// ── CLI ────────────────────────────────────────────────────────────────────

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const check = process.argv.includes('--check');
  const manifest = check ? analyzeToTemp() : analyze(WIDGETS_DIR);
  const readme = readFileSync(README, 'utf8');
  const updated = spliceReference(readme, renderReference(manifest));
  if (check) {
    if (updated !== readme) {
      console.error(`README.md's element reference is out of date: run \`${WRITE_COMMAND}\`.\n\n${lineDiff(readme, updated)}`);
      process.exitCode = 1;
    } else {
      console.log('README.md reference is up to date.');
    }
  } else {
    if (updated !== readme) writeFileSync(README, updated);
    const tags = elementsOf(manifest).map((e) => `<${e.tagName}>`).join(', ');
    console.log(`${updated === readme ? 'Unchanged' : 'Updated'} README.md reference (${tags}); manifest at ${relative(ROOT, MANIFEST)}`);
  }
}

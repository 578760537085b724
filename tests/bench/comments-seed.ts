// Shared by the comment benchmarks: a realistic thread written straight through the store.
import { insertComments } from '../../packages/server/src/store/comments.repository.ts';
import type { NewCommentRow } from '../../packages/server/src/store/schema.ts';
import type { Store } from '../../packages/server/src/store/store.ts';
import { renderMarkdown } from '../../packages/server/src/services/markdown.ts';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID-shaped id: 10 chars of time, 16 of a counter (sortable, deterministic). */
function sortableId(time: number, counter: number): string {
  let head = '';
  for (let t = time, i = 0; i < 10; i++, t = Math.floor(t / 32)) head = CROCKFORD[t % 32]! + head;
  let tail = '';
  for (let c = counter, i = 0; i < 16; i++, c = Math.floor(c / 32)) tail = CROCKFORD[c % 32]! + tail;
  return head + tail;
}

const WORDS = 'the of a council budget river bridge vote school tram weather market harbour festival library mayor plan road housing park museum rent bus night week year city'.split(' ');

/** Deterministic pseudo-random numbers, so runs compare. */
export function rng(seed = 42): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** 200–400 characters with some markdown: emphasis, a link, code, a quote or a list now and then. */
export function commentBody(random: () => number): string {
  const target = 200 + Math.floor(random() * 200);
  const parts: string[] = [];
  let length = 0;
  while (length < target) {
    const words = Array.from({ length: 6 + Math.floor(random() * 8) }, () => WORDS[Math.floor(random() * WORDS.length)]!);
    const roll = random();
    if (roll < 0.15) words[2] = `**${words[2]}**`;
    else if (roll < 0.3) words[1] = `*${words[1]}*`;
    else if (roll < 0.38) words.push(`[source](https://news.example/${Math.floor(random() * 1000)})`);
    else if (roll < 0.43) words.push('`npm test`');
    let sentence = `${words.join(' ')}.`;
    if (random() < 0.06) sentence = `> ${sentence}`;
    else if (random() < 0.04) sentence = `- ${sentence}\n- ${words.slice(0, 3).join(' ')}`;
    parts.push(sentence);
    length += sentence.length + 1;
  }
  return parts.join(random() < 0.3 ? '\n\n' : ' ');
}

export interface SeedOptions {
  site: string;
  page: string;
  count: number;
  /** Share of top-level comments; the rest reply to a recent comment. */
  topLevelShare?: number;
  seed?: number;
}

/** Inserts `count` comments in one transaction; returns the number of top-level ones. */
export async function seedThread(store: Store, options: SeedOptions): Promise<{ topLevel: number }> {
  const random = rng(options.seed ?? 42);
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  const rows: NewCommentRow[] = [];
  const roots: string[] = [];
  let topLevel = 0;
  for (let i = 0; i < options.count; i++) {
    const time = start + i * 1000;
    const id = sortableId(time, i);
    const createdAt = new Date(time).toISOString();
    let parent: NewCommentRow | undefined;
    if (rows.length > 0 && random() >= (options.topLevelShare ?? 0.2)) {
      // Replies cluster on recent comments, like a live discussion.
      parent = rows[Math.max(0, rows.length - 1 - Math.floor(random() * 200))];
    }
    const body = commentBody(random);
    const row: NewCommentRow = {
      id,
      site: options.site,
      page: options.page,
      parent_id: parent?.id ?? null,
      root_id: parent ? parent.root_id! : id,
      author_name: random() < 0.8 ? `Reader ${Math.floor(random() * 500)}` : null,
      author_email: null,
      body,
      html: renderMarkdown(body),
      status: 'visible',
      created_at: createdAt,
      updated_at: createdAt,
      likes: Math.floor(random() * random() * 30),
    };
    if (!parent) {
      roots.push(id);
      topLevel++;
    }
    rows.push(row);
  }
  await store.transaction((trx) => insertComments(trx, rows));
  return { topLevel };
}

// A Disqus-format export of any size, written as a stream (never held in memory), for `bench:import`.
// Deterministic: the same size gives the same file. Realistic mix: threads of 1–120 comments, about a
// third replies (some written before their parent, as real exports have), HTML with paragraphs,
// links, emphasis and entities, a few deleted and spam posts, names with entities.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const WORDS = 'the of a council budget river bridge vote school tram weather market harbour festival library mayor plan road housing park museum rent bus night week year city'.split(' ');

function rng(seed = 7): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function sentence(random: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(random() * WORDS.length)]!);
  return out.join(' ');
}

function message(random: () => number): string {
  const parts = [`<p>${sentence(random, 12 + Math.floor(random() * 30))}.</p>`];
  if (random() < 0.5) parts.push(`<p>See <a href="https://example.com/${Math.floor(random() * 1e6)}">${sentence(random, 3)}</a> &amp; <i>${sentence(random, 2)}</i>.</p>`);
  if (random() < 0.2) parts.push(`<p>${sentence(random, 20)}\n<b>${sentence(random, 4)}</b> <code>x &lt; y</code></p>`);
  return parts.join('');
}

export interface GeneratedFile {
  bytes: number;
  comments: number;
  threads: number;
}

/**
 * Post ids in file order (100000001, 100000002, …), or `shuffled`: each id mapped through a
 * bijection of 32-bit numbers (multiplication by an odd constant mod 2^32), so ids arrive in
 * arbitrary order as in a real export while the threads, replies and text stay the same.
 */
function postId(n: number, shuffled: boolean): string {
  return String(shuffled ? Math.imul(n, 0x9e3779b1) >>> 0 : n);
}

/** Writes about `targetBytes` of Disqus XML to `file`. */
export async function writeDisqusExport(file: string, targetBytes: number, options: { shuffledIds?: boolean } = {}): Promise<GeneratedFile> {
  const shuffled = options.shuffledIds ?? false;
  const random = rng();
  const out = createWriteStream(file);
  let bytes = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n');
  // Threads first, as Disqus writes them: about one per 40 comments of ~650 bytes.
  const threads = Math.max(1, Math.round(targetBytes / 650 / 40));
  const start = Date.UTC(2012, 0, 1) / 1000;
  for (let t = 1; t <= threads; t++) {
    await write(
      `<thread dsq:id="${t}"><id>post-${t}</id><forum>bench</forum><category dsq:id="1"/><link>https://old.example.com/${2012 + (t % 10)}/post-${t}/</link>` +
        `<title>Post ${t}: ${sentence(random, 5)} &amp;laquo;news&amp;raquo;</title><message/><createdAt>${new Date((start + t * 3600) * 1000).toISOString().slice(0, 19)}Z</createdAt>` +
        `<author><name>Editor</name><isAnonymous>false</isAnonymous></author><isClosed>${t % 50 === 0}</isClosed><isDeleted>false</isDeleted></thread>\n`,
    );
  }
  let id = 100_000_000;
  let comments = 0;
  // Recent posts per thread, so replies point at a comment of their own thread.
  const recent = new Map<number, number[]>();
  while (bytes < targetBytes) {
    const thread = 1 + Math.floor(random() * threads);
    id++;
    comments++;
    const earlier = recent.get(thread) ?? [];
    let parent: number | undefined;
    const roll = random();
    if (roll < 0.3 && earlier.length > 0) parent = earlier[Math.floor(random() * earlier.length)];
    // Now and then a reply to the NEXT id: its parent comes later in the file.
    else if (roll < 0.32) parent = id + 1;
    earlier.push(id);
    if (earlier.length > 20) earlier.shift();
    recent.set(thread, earlier);
    const created = new Date((start + thread * 3600 + comments) * 1000).toISOString().slice(0, 19) + 'Z';
    const deleted = random() < 0.02;
    const spam = random() < 0.02;
    await write(
      `<post dsq:id="${postId(id, shuffled)}"><id/><message><![CDATA[${message(random)}]]></message><createdAt>${created}</createdAt><ipAddress>203.0.113.${id % 250}</ipAddress>` +
        `<isDeleted>${deleted}</isDeleted><isSpam>${spam}</isSpam><author><email>reader${id % 5000}@example.org</email><name>Reader ${id % 5000} &amp;laquo;${WORDS[id % WORDS.length]}&amp;raquo;</name>` +
        `<isAnonymous>false</isAnonymous><username>reader${id % 5000}</username></author><thread dsq:id="${thread}"/>${parent ? `<parent dsq:id="${postId(parent, shuffled)}"/>` : ''}</post>\n`,
    );
  }
  await write('</disqus>\n');
  out.end();
  await once(out, 'finish');
  return { bytes, comments, threads };
}

import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { SaxesParser } from 'saxes';
import type { ImportInput } from './item.ts';

/**
 * Reading export files as streams: bytes (gunzipped when the file is gzip, as Disqus and Commento
 * send them), lines (JSON Lines), and XML records through a SAX parser. Nothing here holds more
 * than one chunk and one record in memory, which is what keeps a 1 GB import small.
 */

/**
 * Bytes per read. Not more: each chunk becomes one string for the parser, and V8 allocates strings
 * over 128 kB in its large-object space, one mapping each, which made decoding a 1 GB export cost
 * ~7 s of CPU (64 kB chunks: well under a second) and pushed the old generation towards full GCs.
 */
const CHUNK = 64 * 1024;

export function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

export function newInput(path: string): ImportInput {
  return { path, progress: { bytesRead: 0, totalBytes: statSync(path).size } };
}

/** The file's (decompressed) bytes, counting the raw bytes read for progress. */
export function bytesOf(input: ImportInput): AsyncIterable<Buffer> {
  const raw = createReadStream(input.path, { highWaterMark: CHUNK });
  raw.on('data', (chunk) => {
    input.progress.bytesRead += chunk.length;
  });
  return isGzip(input.path) ? raw.pipe(createGunzip({ chunkSize: CHUNK })) : raw;
}

/** The first bytes of the (decompressed) file, for format detection. */
export async function headOf(path: string, size = 64 * 1024): Promise<Buffer> {
  const parts: Buffer[] = [];
  let length = 0;
  const stream = bytesOf({ path, progress: { bytesRead: 0, totalBytes: 0 } });
  for await (const chunk of stream) {
    parts.push(chunk);
    length += chunk.length;
    if (length >= size) break;
  }
  return Buffer.concat(parts).subarray(0, size);
}

/** Lines of a UTF-8 text file, without their line ends; blank lines are skipped. */
export async function* linesOf(input: ImportInput): AsyncIterable<{ line: string; number: number }> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let number = 0;
  for await (const chunk of bytesOf(input)) {
    const text = rest + decoder.write(chunk);
    let start = 0;
    for (let end = text.indexOf('\n', start); end !== -1; end = text.indexOf('\n', start)) {
      number++;
      const line = text.slice(start, end).trim();
      if (line) yield { line, number };
      start = end + 1;
    }
    rest = text.slice(start);
  }
  const last = (rest + decoder.end()).trim();
  if (last) yield { line: last, number: number + 1 };
}

/** One XML element as a small tree: enough to read one Disqus post or one WordPress item. */
export interface XmlNode {
  name: string;
  attributes: Record<string, string>;
  text: string;
  children: XmlNode[];
}

export function child(node: XmlNode, name: string): XmlNode | undefined {
  // A loop, not `find` with a closure: a Disqus post asks for a dozen children, 1.6 M posts per GB.
  for (const c of node.children) if (c.name === name) return c;
  return undefined;
}

export function childrenNamed(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((c) => c.name === name);
}

/** Text of a child (`author/name` walks down), trimmed; undefined when absent. */
export function textOf(node: XmlNode, path: string): string | undefined {
  const slash = path.indexOf('/');
  if (slash === -1) return child(node, path)?.text.trim();
  const parent = child(node, path.slice(0, slash));
  return parent && textOf(parent, path.slice(slash + 1));
}

/** Where an XML record could not be read, for the report. */
export interface XmlProblem {
  line: number;
  message: string;
}

/**
 * The elements for which `isRecord(name, depth)` holds (depth 1 is the document element's children),
 * each as a tree, in document order. Undefined entities (`&laquo;` outside CDATA, common in
 * hand-edited exports) are kept as text for the importer's decoding; other XML errors are reported
 * through `onProblem` and the parser carries on, so one bad character does not lose a whole import.
 */
export async function* xmlRecords(input: ImportInput, isRecord: (name: string, depth: number) => boolean, onProblem: (problem: XmlProblem) => void): AsyncIterable<XmlNode> {
  const parser = new SaxesParser({ position: true });
  const done: XmlNode[] = [];
  const stack: XmlNode[] = [];
  let depth = -1;
  parser.on('error', (error) => {
    if (/undefined entity/.test(error.message)) return;
    onProblem({ line: parser.line, message: error.message.replace(/^[^:]*:\d+:\d+: /, '') });
  });
  parser.on('opentag', (tag) => {
    depth++;
    if (stack.length > 0 || isRecord(tag.name, depth)) {
      const node: XmlNode = { name: tag.name, attributes: tag.attributes as Record<string, string>, text: '', children: [] };
      stack[stack.length - 1]?.children.push(node);
      stack.push(node);
    }
  });
  const addText = (text: string) => {
    const top = stack[stack.length - 1];
    if (top) top.text += text;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', () => {
    depth--;
    const node = stack.pop();
    if (node && stack.length === 0) done.push(node);
  });
  const decoder = new StringDecoder('utf8');
  for await (const chunk of bytesOf(input)) {
    parser.write(decoder.write(chunk));
    yield* done;
    done.length = 0;
  }
  parser.write(decoder.end());
  parser.close();
  yield* done;
}

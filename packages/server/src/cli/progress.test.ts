import assert from 'node:assert/strict';
import { test } from 'node:test';
import { progressView } from './progress.ts';

test('without a terminal: a plain line at most every 5 s, and each file\'s 100 % line once', () => {
  const lines: string[] = [];
  let clock = 10_000;
  const view = progressView(false, (line) => lines.push(line), () => clock);
  const at = (ms: number, file: string, bytesRead: number, comments: number) => {
    clock = ms;
    view.update({ file, bytesRead, totalBytes: 100, comments });
  };
  at(10_000, 'a.xml', 10, 5);
  at(11_000, 'a.xml', 20, 9); // too soon
  at(16_000, 'a.xml', 60, 30);
  // The file is read to its end before its last comments are written.
  at(16_100, 'a.xml', 100, 40);
  at(16_200, 'a.xml', 100, 50);
  at(22_000, 'a.xml', 100, 60);
  at(22_100, 'b.xml', 100, 3);
  assert.deepEqual(lines, ['a.xml: 10% read, 5 comments', 'a.xml: 60% read, 30 comments', 'a.xml: 100% read, 40 comments', 'b.xml: 100% read, 3 comments']);
});

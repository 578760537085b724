import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { dialectsUnderTest, skipReason, tempDir } from '../test/helpers.ts';
import { importComments } from './importer.ts';

/**
 * A thread whose replies come before their parents, in chains: a reply written under a reply that
 * is itself still waiting, and its own replies too. Whatever the order and batch size, every
 * comment ends under its parent with its top-level ancestor as root.
 */
const PARENTS: Record<number, number | null> = { 1: null, 2: 1, 3: 2, 4: 3, 5: 3, 6: 4, 7: null, 8: 7, 9: 8, 10: 9, 11: 1, 12: 11, 13: 12, 14: null };

function disqusXml(order: readonly number[]): string {
  const posts = order.map((id) => {
    const parent = PARENTS[id];
    const minute = String(id).padStart(2, '0');
    return `<post dsq:id="${id}"><message><![CDATA[<p>comment ${id}</p>]]></message><createdAt>2020-01-01T10:${minute}:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>A${id}</name><isAnonymous>true</isAnonymous></author><thread dsq:id="1"/>${parent ? `<parent dsq:id="${parent}"/>` : ''}</post>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals"><thread dsq:id="1"><link>https://old.example.com/p/</link><title>P</title><createdAt>2020-01-01T09:00:00Z</createdAt><isClosed>false</isClosed><isDeleted>false</isDeleted></thread>\n${posts.join('\n')}\n</disqus>\n`;
}

const ids = Object.keys(PARENTS).map(Number);
const ORDERS: Record<string, number[]> = {
  'replies first (deepest first)': [...ids].reverse(),
  'children, then grandparents': [6, 4, 5, 10, 13, 9, 12, 3, 8, 11, 2, 7, 14, 1],
  'parents first': ids,
};

for (const dialect of await dialectsUnderTest()) {
  describe(`replies before their parents on ${dialect.name}`, { skip: skipReason(dialect) }, () => {
    const temp = tempDir('parley-pending-roots-');
    after(() => temp.remove());
    for (const [name, order] of Object.entries(ORDERS)) {
      for (const batchSize of [1, 3, 1000]) {
        test(`${name}, batches of ${batchSize}`, async () => {
          const file = path.join(temp.dir, `${name.replace(/\W+/g, '-')}-${batchSize}.xml`);
          writeFileSync(file, disqusXml(order));
          // A fresh database each time: on SQLite the first import defers the root index.
          const { store, dispose } = await dialect.open();
          try {
            const report = await importComments(store, [file], { site: 's', secret: 'x', batchSize });
            assert.equal(report.imported, ids.length);
            assert.deepEqual(report.reparented, []);
            const rows = await store.db.selectFrom('comments').select(['id', 'parent_id', 'root_id', 'body']).execute();
            const bySource = new Map(rows.map((row) => [Number(/comment (\d+)/.exec(row.body)![1]), row]));
            for (const [source, parent] of Object.entries(PARENTS)) {
              const row = bySource.get(Number(source))!;
              assert.equal(row.parent_id, parent === null ? null : bySource.get(parent)!.id, `parent of ${source}`);
              let top = Number(source);
              while (PARENTS[top] !== null) top = PARENTS[top]!;
              assert.equal(row.root_id, bySource.get(top)!.id, `root of ${source}`);
            }
          } finally {
            await dispose();
          }
        });
      }
    }
  });
}

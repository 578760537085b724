import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import type { Writable } from 'node:stream';
import type { CliIo } from '../cli.ts';
import { loadConfig } from '../config.ts';
import { exportDisqus } from '../migrate/disqus-export.ts';
import { exportParley } from '../migrate/exporter.ts';
import { SiteRegistry } from '../sites/registry.ts';
import { openStore, storeOptions } from '../store/store.ts';

const USAGE = `Usage: parley export --site ID [--format parley|disqus] [--out FILE] [--base-url URL]
  parley (default)  everything the site owns, as versioned JSON Lines (README: "Export format");
                    \`parley import-comments FILE --site ID\` restores it
  disqus            the Disqus export XML, which other comment systems import
  --out FILE        write there instead of standard output (\`-\`: standard output)
  --base-url URL    (disqus) makes page keys absolute links, e.g. https://blog.example`;

/** Writes chunks with back-pressure. */
async function pipeTo(chunks: AsyncIterable<string>, out: Writable): Promise<void> {
  for await (const chunk of chunks) if (!out.write(chunk)) await once(out, 'drain');
}

/** `parley export …`; resolves to the exit code. */
export async function runExport(argv: readonly string[], io: CliIo, stdout: Writable = process.stdout): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { site: { type: 'string' }, format: { type: 'string', default: 'parley' }, out: { type: 'string' }, 'base-url': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 1;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (!values.site || (values.format !== 'parley' && values.format !== 'disqus')) {
    io.err(`parley: export needs --site ID and --format parley or disqus\n\n${USAGE}`);
    return 1;
  }
  const config = loadConfig(io.env);
  const store = openStore(config.databaseUrl, storeOptions(config));
  // `--out -` is standard output, as in most Unix tools (it used to make a file named "-").
  const file = values.out === '-' ? undefined : values.out;
  const out = file ? createWriteStream(file) : stdout;
  try {
    await store.migrate();
    const registry = SiteRegistry.load(config.sitesFile);
    const chunks =
      values.format === 'disqus'
        ? exportDisqus(store, { site: values.site, baseUrl: values['base-url'] })
        : exportParley(store, { site: values.site, ...(registry.strict ? { settings: registry.find(values.site) } : {}) });
    await pipeTo(chunks, out);
    if (file) {
      out.end();
      await once(out, 'finish');
      io.err(`Exported site "${values.site}" to ${file}`);
    }
    return 0;
  } catch (error) {
    io.err(`parley: ${(error as Error).message}`);
    return 1;
  } finally {
    await store.close();
  }
}

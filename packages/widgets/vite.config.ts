import { posix } from 'node:path';
import ts from 'typescript';
import { defineConfig, type Plugin } from 'vite';

/**
 * Shrinks the static text of Lit's `css`, `html` and `svg` tagged templates, which the JS
 * minifier leaves alone: CSS loses comments, the whitespace around punctuation and leading zeros; markup
 * loses line breaks with their indentation (one space stays, so attributes stay apart) and the
 * blanks between tags. Found with the TypeScript parser, so strings and regexes are never touched.
 */
function minifyTemplates(): Plugin {
  const minify: Record<string, (text: string) => string> = {
    css: (text) =>
      text
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\s+/g, ' ')
        .replace(/ ?([{};,>]) ?/g, '$1')
        .replace(/: /g, ':')
        .replace(/;}/g, '}')
        // 0.5rem → .5rem (after a separator only, so `10.5` and names stay whole)
        .replace(/([\s:,(/])0\.(\d)/g, '$1.$2'),
    html: (text) => text.replace(/\s*\n\s*/g, ' ').replace(/> </g, '><'),
  };
  minify.svg = minify.html!;
  return {
    name: 'parley-minify-templates',
    enforce: 'pre',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || !/\b(css|html|svg)`/.test(code)) return null;
      const file = ts.createSourceFile(id, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
      const edits: Array<[start: number, end: number, text: string]> = [];
      const piece = (start: number, end: number, fn: (text: string) => string) => edits.push([start, end, fn(code.slice(start, end))]);
      const visit = (node: ts.Node): void => {
        if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && minify[node.tag.text]) {
          const fn = minify[node.tag.text]!;
          const template = node.template;
          if (ts.isNoSubstitutionTemplateLiteral(template)) piece(template.getStart(file) + 1, template.end - 1, fn);
          else {
            piece(template.head.getStart(file) + 1, template.head.end - 2, fn);
            for (const span of template.templateSpans) {
              const literal = span.literal;
              piece(literal.getStart(file) + 1, literal.end - (ts.isTemplateTail(literal) ? 1 : 2), fn);
            }
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
      let out = code;
      for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0])) out = out.slice(0, start) + text + out.slice(end);
      return { code: out, map: null };
    },
  };
}

/**
 * Names the writing tools' hashed chunk where `comments.ts` asks for it again after a failed load:
 * that retry adds a query (the failure may be kept for the plain URL), so it is an `import()` of a
 * computed URL the bundler cannot follow; its `./writer.ts` (right in the sources, for the test
 * runner) becomes the chunk's path here.
 */
function nameWriterChunk(): Plugin {
  return {
    name: 'parley-name-writer-chunk',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).flatMap((file) => (file.type === 'chunk' ? [file] : []));
      const writer = chunks.find((chunk) => chunk.facadeModuleId?.endsWith('/src/components/comments/writer.ts'));
      const named = /([`'"])\.\/writer\.ts\1/g;
      const users = chunks.filter((chunk) => chunk.code.match(named)?.length === 1);
      if (!writer || users.length !== 1) throw new Error(`parley-name-writer-chunk: expected the writer chunk and one chunk naming ./writer.ts, found ${users.length}`);
      const user = users[0]!;
      const path = `./${posix.relative(posix.dirname(user.fileName), writer.fileName)}`;
      user.code = user.code.replace(named, (_, quote: string) => quote + path + quote);
    },
  };
}

/** The on-demand languages: `src/i18n/lang/<code>.ts` becomes `dist/i18n/<code>-<hash>.js`. */
const LANGUAGE = /\/src\/i18n\/lang\/[\w-]+\.ts$/;

// A minified ES module with Lit inside (what the server serves as /embed.js) and what it loads
// later: one small chunk per on-demand language in dist/i18n/ (served as /i18n/<lang>-<hash>.js),
// and the other chunks (the comment form's writing tools, the related list) in dist/chunks/ (served
// as /chunks/<name>-<hash>.js). The hashes make them immutable: a cached embed.js never meets
// another build's chunk.
export default defineConfig({
  plugins: [minifyTemplates(), nameWriterChunk()],
  build: {
    target: 'es2022',
    lib: { entry: 'src/embed.ts', formats: ['es'], fileName: () => 'embed.js' },
    sourcemap: false,
    rolldownOptions: {
      // Lets the entry hand what it shares (Lit, helpers) to the chunks it loads later: with the
      // library default ('strict') that code would move into a third chunk every page needs first.
      preserveEntrySignatures: 'allow-extension',
      optimization: { inlineConst: { mode: 'all' } },
      output: {
        // `comments: false` drops the `/* @__PURE__ */` annotations the minifier would otherwise keep.
        minify: true,
        comments: false,
        chunkFileNames: (chunk) => (chunk.moduleIds.some((id) => LANGUAGE.test(id)) ? 'i18n/[name]-[hash].js' : 'chunks/[name]-[hash].js'),
      },
    },
  },
});

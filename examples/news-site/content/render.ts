/**
 * Renders the static site and the Parley import file from `articles.ts`.
 * Pure functions: `build.ts` writes their output, `build.test.ts` checks it is up to date.
 */
import { SITE_NAME, SITE_TAGLINE, articles as allArticles, type Article } from './articles.ts';

/** The one line a site owner adds to load Parley. The demo rewrites this origin when serving. */
export const PARLEY_ORIGIN = 'http://127.0.0.1:8787';
export const EMBED_SCRIPT = `<script type="module" src="${PARLEY_ORIGIN}/embed.js"></script>`;

export const articlePath = (a: Pick<Article, 'slug'>) => `/articles/${a.slug}.html`;

/**
 * Articles whose widgets the site's server fills in with Parley's server-rendered HTML
 * (`data-parley-render`, see start-demo.ts): readable by crawlers and without JavaScript.
 * The others show the same elements drawn by the embed script alone.
 */
export const SERVER_RENDERED = new Set(['quayside-cycle-lane']);
export const imagePath = (a: Pick<Article, 'slug'>) => `/images/${a.slug}.svg`;

const slugify = (text: string) =>
  text
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
});
const displayDate = (iso: string) => dateFormat.format(new Date(iso));

function sections(articles: Article[]): { name: string; id: string; articles: Article[] }[] {
  const bySection = new Map<string, Article[]>();
  for (const article of articles) {
    const list = bySection.get(article.section) ?? [];
    list.push(article);
    bySection.set(article.section, list);
  }
  return [...bySection].map(([name, list]) => ({
    name,
    id: slugify(name),
    articles: [...list].sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt)),
  }));
}

function head(opts: { title: string; description: string; extra?: string }): string {
  return `<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${esc(opts.title)}</title>
  <meta name="description" content="${esc(opts.description)}">
${opts.extra ?? ''}  <link rel="icon" href="/images/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/styles.css">
  ${EMBED_SCRIPT}
</head>`;
}

function masthead(articles: Article[], compact: boolean): string {
  const nav = sections(articles)
    .map((s) => `      <li><a href="/#${s.id}">${esc(s.name)}</a></li>`)
    .join('\n');
  const name = compact
    ? `<a class="masthead__name" href="/">${esc(SITE_NAME)}</a>`
    : `<h1 class="masthead__name"><a href="/">${esc(SITE_NAME)}</a></h1>
    <p class="masthead__tagline">${esc(SITE_TAGLINE)}</p>`;
  return `<header class="masthead${compact ? ' masthead--compact' : ''}">
  <div class="masthead__inner">
    ${name}
  </div>
  <nav class="sections" aria-label="Sections">
    <ul>
${nav}
    </ul>
  </nav>
</header>`;
}

const footer = `<footer class="site-footer">
  <p><strong>${esc(SITE_NAME)}</strong> · Harbour Street, opposite the swing bridge</p>
  <p>An example site for Parley. The town, its people and its news are invented.</p>
</footer>`;

export function renderArticle(article: Article, articles: Article[] = allArticles): string {
  const url = articlePath(article);
  const metaTags = article.tags
    .map((tag) => `  <meta property="article:tag" content="${esc(tag)}">\n`)
    .join('');
  const extra = `  <link rel="canonical" href="${url}">
  <meta property="og:type" content="article">
  <meta property="og:site_name" content="${esc(SITE_NAME)}">
  <meta property="og:title" content="${esc(article.title)}">
  <meta property="og:description" content="${esc(article.standfirst)}">
  <meta property="og:url" content="${url}">
  <meta property="og:image" content="${imagePath(article)}">
  <meta property="article:section" content="${esc(article.section)}">
${metaTags}  <meta property="article:published_time" content="${article.publishedAt}">
  <meta property="article:author" content="${esc(article.byline)}">
`;
  const body = article.paragraphs.map((p) => `      <p>${esc(p)}</p>`).join('\n');
  return `<!doctype html>
<html lang="en">
${head({ title: `${article.title} | ${SITE_NAME}`, description: article.standfirst, extra })}
<body>
${masthead(articles, true)}

<main class="page">
  <article class="story">
    <header class="story__header">
      <p class="kicker"><a href="/#${slugify(article.section)}">${esc(article.section)}</a></p>
      <h1 class="story__title">${esc(article.title)}</h1>
      <p class="standfirst">${esc(article.standfirst)}</p>
      <p class="byline">By <span class="byline__name">${esc(article.byline)}</span> · <time datetime="${article.publishedAt}">${displayDate(article.publishedAt)}</time></p>
    </header>
    <figure class="story__image">
      <img src="${imagePath(article)}" alt="${esc(article.imageAlt)}" width="640" height="360">
    </figure>
    <div class="story__body">
${body}
    </div>
    <ul class="tags" aria-label="Topics">
${article.tags.map((t) => `      <li>${esc(t)}</li>`).join('\n')}
    </ul>
  </article>

  <parley-related${SERVER_RENDERED.has(article.slug) ? ' data-parley-render' : ''}></parley-related>

  <parley-comments${SERVER_RENDERED.has(article.slug) ? ' data-parley-render' : ''}></parley-comments>
</main>

${footer}
</body>
</html>
`;
}

function teaser(article: Article, withImage: boolean): string {
  const url = articlePath(article);
  const image = withImage
    ? `\n        <a class="teaser__image" href="${url}" tabindex="-1" aria-hidden="true"><img src="${imagePath(article)}" alt="" width="640" height="360"></a>`
    : '';
  return `      <li class="teaser${withImage ? ' teaser--lead' : ''}">${image}
        <h3 class="teaser__title"><a href="${url}">${esc(article.title)}</a></h3>
        <p class="teaser__standfirst">${esc(article.standfirst)}</p>
        <p class="teaser__meta"><time datetime="${article.publishedAt}">${displayDate(article.publishedAt)}</time> · <parley-count page="${url}"></parley-count></p>
      </li>`;
}

export function renderIndex(articles: Article[] = allArticles): string {
  const blocks = sections(articles)
    .map(
      (s) => `  <section class="section-block" id="${s.id}" aria-labelledby="${s.id}-title">
    <h2 class="section-block__title" id="${s.id}-title">${esc(s.name)}</h2>
    <ul class="teasers">
${s.articles.map((a, i) => teaser(a, i === 0)).join('\n')}
    </ul>
  </section>`,
    )
    .join('\n\n');
  return `<!doctype html>
<html lang="en">
${head({
  title: `${SITE_NAME} | ${SITE_TAGLINE}`,
  description: `${SITE_NAME}: ${SITE_TAGLINE.toLowerCase()}.`,
  extra: `  <link rel="canonical" href="/">\n  <meta property="og:type" content="website">\n  <meta property="og:site_name" content="${esc(SITE_NAME)}">\n`,
})}
<body>
${masthead(articles, false)}

<main class="page page--home">
${blocks}
</main>

${footer}
</body>
</html>
`;
}

/** The body of `PUT /api/articles`, and the import file a site owner would keep. */
export function renderImport(articles: Article[] = allArticles) {
  return {
    site: 'default',
    articles: articles.map((a) => ({
      url: articlePath(a),
      title: a.title,
      description: a.standfirst,
      image: imagePath(a),
      tags: a.tags,
      section: a.section,
      publishedAt: a.publishedAt,
      body: a.paragraphs.join('\n\n'),
    })),
  };
}

/** Every generated file, keyed by its path relative to the example's folder. */
export function renderAll(articles: Article[] = allArticles): Map<string, string> {
  const files = new Map<string, string>();
  files.set('site/index.html', renderIndex(articles));
  for (const article of articles) files.set(`site${articlePath(article)}`, renderArticle(article, articles));
  files.set('articles.json', `${JSON.stringify(renderImport(articles), null, 2)}\n`);
  return files;
}

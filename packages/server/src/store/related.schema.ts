// Tables and columns from migration 0003, merged into `Database` by declaration merging so that
// schema.ts (shared) needs no edit. Same conventions: snake_case, ISO-8601 UTC text, 0/1 booleans.

declare module './schema.ts' {
  interface Database {
    related_pins: RelatedPinsTable;
    related_clicks: RelatedClicksTable;
  }
  interface ArticlesTable {
    /** 1: may be recommended; 0: never shown. */
    published: number;
    /** Who wrote the row last: the site owner, or auto-discovery from a page. */
    source: ArticleSource;
  }
}

export type ArticleSource = 'owner' | 'discovered';

export interface RelatedPinsTable {
  site: string;
  page_key: string;
  target_key: string;
  position: number;
  created_at: string;
}

export interface RelatedClicksTable {
  site: string;
  target_key: string;
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  clicks: number;
}

// Tables from migration 0010, merged into `Database` by declaration merging (schema.ts needs no edit).

declare module './schema.ts' {
  interface Database {
    related_feedback: RelatedFeedbackTable;
    related_covisits: RelatedCovisitsTable;
  }
}

export interface RelatedFeedbackTable {
  site: string;
  /** The page the box was on. */
  page_key: string;
  /** The card's article. */
  target_key: string;
  /** 0-based position of the card in the box. */
  position: number;
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  impressions: number;
  clicks: number;
}

export interface RelatedCovisitsTable {
  site: string;
  page_key: string;
  target_key: string;
  day: string;
  /** Distinct addresses that went from `page_key` to `target_key` that day. */
  visits: number;
}

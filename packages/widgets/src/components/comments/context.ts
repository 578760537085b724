import type { CommentNode, CommentThread } from '@parley/schema';
import type { ApiArgs } from '@parley/schema/client';
import type { ApiResponse, ApiRoute } from '@parley/schema/contract';
import type { ParleyComments } from './comments.ts';

/** What this browser keeps about a comment it posted, to edit or delete it in time. */
export interface Own {
  token: string;
  body: string;
  editableUntil: string;
}

/** A line under a comment's actions: an error (a failed like or delete), or good news (`ok`, a report was taken). */
export interface Note {
  message: string;
  ok?: boolean;
}

/**
 * The element's state that its writing tools change as well: private to pages (TypeScript
 * `private`, left out of the element's documented API), shared with the tools' chunk, which
 * reaches it through this type rather than through closures held in every reader's first load.
 */
export interface SharedState {
  notes: Record<string, Note>;
  announcement: string;
  pending: CommentNode[];
}

/**
 * What `<parley-comments>` hands its writing tools: its element and the private state they share.
 * The rest of {@link WriterContext} is built in their chunk (`actions.ts`), from the element's
 * public members, so the first load holds none of it.
 */
export type WriterCore = Pick<WriterContext, 'element' | 'replyCursors' | 'thread' | 'composerShown' | 'posted'>;

/**
 * What the writing tools (`writer.ts`, loaded on first interaction) may see and do of the
 * `<parley-comments>` element that hosts them. Types only: importing it costs the reader nothing.
 */
export interface WriterContext {
  /** The element: its public properties (`sort`, `labelName`…) and `reload()` are read there. */
  readonly element: ParleyComments;
  siteId(): string;
  /** The page identity the element posts to. */
  page(): string;
  /** `gravatar` when the element shows Gravatar images (every thread read asks for them), else undefined. */
  avatars(): 'gravatar' | undefined;
  /** Cursors of branches whose remaining replies were asked for (`null`: none left); cleared when the thread loads again. */
  readonly replyCursors: Map<string, string | null>;
  /** The loaded thread, or undefined while none is. */
  thread(): CommentThread | undefined;
  /** A route of the API contract, on this element's server. */
  call<Route extends ApiRoute>(route: Route, ...args: ApiArgs<Route>): Promise<ApiResponse<Route>>;
  /** Per server and site, for caches that outlive the element (the fill time). */
  storeKey(): string;
  /** The comments this browser may still edit, by id (a fresh copy from storage). */
  own(): Record<string, Own>;
  /** The reader's comments that wait for approval, by id (a fresh copy from storage). */
  held(): Record<string, CommentNode>;
  /** When the top form was first shown (`performance.now()`), before the writing tools took it over: its fill time counts from then. */
  composerShown(): number | undefined;
  /** Ids posted from this element: their live `comment.created` is not news. */
  readonly posted: Set<string>;
  /** Comments other readers posted since the thread loaded, waiting behind the banner. */
  pending(): CommentNode[];
  setPending(list: CommentNode[]): void;
  setNote(id: string, note?: Note): void;
  announce(message: string): Promise<void>;
  focusOn(selector: string): Promise<void>;
}

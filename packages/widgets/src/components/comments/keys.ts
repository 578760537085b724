import type { CommentNode } from '@parley/schema';
import { DEFAULT_SITE } from '@parley/schema/limits';
import { serverOrigin } from '../../controllers/server-origin.ts';
import { load } from '../../controllers/storage.ts';
import type { Own } from './context.ts';
import type { ParleyComments } from './comments.ts';

/*
 * What a `<parley-comments>` reads and keeps under which name, from its public attributes: one
 * definition for the element (first load) and its writing tools (their chunk imports these).
 */

/** The site id: the `site` attribute, else the server's default site. */
export const siteOf = (element: ParleyComments): string => element.site || DEFAULT_SITE;

/** `gravatar` when the site wants Gravatar images (the `avatars` query of every thread read), else undefined. */
export const avatarsOf = (element: ParleyComments): 'gravatar' | undefined => (element.avatars === 'gravatar' ? 'gravatar' : undefined);

/** Per server and site: the suffix of every storage key of the element. */
export const storeKeyOf = (element: ParleyComments): string => `${serverOrigin(element.server)}|${siteOf(element)}`;

/** The comments this browser may still edit, by id (a fresh copy from storage). */
export const ownOf = (element: ParleyComments): Record<string, Own> => load(`own:${storeKeyOf(element)}`, {});

/** The reader's comments that wait for approval, by id (a fresh copy from storage). */
export const heldOf = (element: ParleyComments): Record<string, CommentNode> => load(`held:${storeKeyOf(element)}`, {});

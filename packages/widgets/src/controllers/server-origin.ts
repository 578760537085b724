/**
 * Where the embed script was loaded from. A module script has no `document.currentScript`; in the
 * bundled `embed.js` this module's URL is the bundle's URL, whose origin is the Parley server.
 */
export const embedOrigin: string = new URL(import.meta.url).origin;

/** The server a widget talks to: its `server` attribute (without trailing slashes), else the embed's origin. */
export function serverOrigin(server?: string | null): string {
  return server ? server.replace(/\/+$/, '') : embedOrigin;
}

/**
 * Hydration of a server-rendered element (`GET /render/comments`, `GET /render/related`): the
 * server puts the data of the first screen in a `<script type="application/json" ATTRIBUTE>` child
 * next to the markup it drew. The element's first load takes it instead of fetching the same data
 * again, so its first render already shows the thread (no loading state, no layout shift; the
 * server markup stops being rendered once the shadow root exists, and Lit renders the shadow root
 * in the same task, before the browser paints).
 *
 * Taken once: the child is removed, so a later load (another sort, `reload()`) asks the server.
 * `matches` checks that the data is for what the element is about to load (site, page, sort,
 * avatars — the last from the attribute's value);
 * unparsable or mismatched data is ignored and the element fetches as usual.
 */
export function takeServerRendered<T>(host: HTMLElement, attribute: string, matches: (data: T, value: string) => boolean): T | undefined {
  const script = host.querySelector(`:scope > script[type="application/json"][${attribute}]`);
  if (!script) return undefined;
  script.remove();
  try {
    const data = JSON.parse(script.textContent ?? '') as T;
    // The attribute's value says how the data was read where a query option changes it (`gravatar`).
    return data && matches(data, script.getAttribute(attribute) ?? '') ? data : undefined;
  } catch {
    return undefined;
  }
}

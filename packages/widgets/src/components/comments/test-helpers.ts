/** Assertions shared by the comments tests (not itself a test file). */
import { expect } from '@open-wc/testing';

const ALLOWED = new Set(['p', 'br', 'em', 'strong', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a']);

/** Every element in `root` is allowlisted, and only `<a>` has attributes: an http(s)/mailto href and the forced rel. */
export function assertOnlyAllowlisted(root: ParentNode): void {
  for (const element of root.querySelectorAll('*')) {
    const tag = element.localName;
    expect(ALLOWED.has(tag), `<${tag}> is not allowlisted`).to.be.true;
    for (const { name, value } of element.attributes) {
      if (tag === 'a' && name === 'rel') expect(value).to.equal('nofollow ugc noopener noreferrer');
      else if (tag === 'a' && name === 'href') expect(value, value).to.match(/^(https?:\/\/[^/\\]|mailto:)/i);
      else expect.fail(`<${tag} ${name}="${value}"> survived`);
    }
    if (tag === 'a') expect(element.getAttribute('rel')).to.equal('nofollow ugc noopener noreferrer');
  }
}

/**
 * Resolves once a control image, added after whatever a test rendered, has loaded and
 * two frames have been drawn: by then an `onerror`/`onload` handler or an autofocus that slipped
 * through the sanitiser would have run too. A state to wait on instead of a guessed delay.
 */
export async function handlersHadTheirChance(): Promise<void> {
  const control = new Image();
  // A path the test server answers (with an image): loaded, it proves a network round trip and its events.
  const done = new Promise((resolve) => (control.onload = control.onerror = resolve));
  control.src = `/images/parley-control-${Math.random().toString(36).slice(2)}.svg`;
  document.body.append(control);
  try {
    await done;
    for (let i = 0; i < 2; i++) await new Promise(requestAnimationFrame);
  } finally {
    control.remove();
  }
}

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

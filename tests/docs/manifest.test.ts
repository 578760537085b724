/**
 * custom-elements.json, regenerated from the sources (into a temp folder) exactly as the widgets'
 * `manifest` script makes it, documents every element a site owner uses.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeToTemp, elementsOf, type Declaration, type Manifest } from '../tools/readme-reference.ts';

const TAGS = ['parley-comments', 'parley-related', 'parley-count'];
const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

describe('custom-elements.json', () => {
  let manifest: Manifest;
  const element = (tag: string): Declaration => {
    const found = elementsOf(manifest).find((e) => e.tagName === tag);
    assert.ok(found, `<${tag}> is not in the manifest (tags found: ${elementsOf(manifest).map((e) => e.tagName).join(', ') || 'none'})`);
    return found;
  };

  before(() => {
    manifest = analyzeToTemp();
  });

  it('has each element with its tag name, summary and description', () => {
    for (const tag of TAGS) {
      const e = element(tag);
      assert.ok(e.summary, `<${tag}> has a @summary`);
      assert.ok(e.description, `<${tag}> has a description`);
    }
  });

  it('gives every attribute a kebab-case name, a type and a description', () => {
    for (const tag of TAGS) {
      const attributes = element(tag).attributes ?? [];
      assert.ok(attributes.length > 0, `<${tag}> has attributes`);
      for (const a of attributes) {
        assert.match(a.name, KEBAB, `<${tag}> attribute "${a.name}" is kebab-case (multi-word properties need @property({ attribute: '…' }))`);
        if (a.fieldName && /[A-Z]/.test(a.fieldName)) {
          assert.equal(a.name, kebab(a.fieldName), `<${tag}> property ${a.fieldName} has the attribute ${kebab(a.fieldName)}`);
        }
        assert.ok(a.type?.text, `<${tag}> attribute "${a.name}" has a type`);
        assert.ok(a.description, `<${tag}> attribute "${a.name}" has a one-line doc`);
      }
      for (const common of ['page', 'site', 'server']) {
        assert.ok(attributes.some((a) => a.name === common), `<${tag}> has the ${common} attribute`);
      }
    }
  });

  it('lists CSS parts and --parley-* custom properties, each described', () => {
    for (const tag of TAGS) {
      const e = element(tag);
      assert.ok((e.cssParts ?? []).length > 0, `<${tag}> documents @csspart`);
      assert.ok((e.cssProperties ?? []).length > 0, `<${tag}> documents @cssproperty`);
      for (const part of e.cssParts ?? []) assert.ok(part.description, `<${tag}> part ${part.name} is described`);
      for (const p of e.cssProperties ?? []) {
        assert.match(p.name, /^--parley-[a-z0-9-]+$/, `<${tag}> custom property ${p.name} is --parley-*`);
        assert.ok(p.description, `<${tag}> ${p.name} is described`);
      }
    }
    const comments = element('parley-comments').cssParts!.map((p) => p.name);
    for (const part of ['comment', 'author', 'body', 'form', 'textarea', 'submit']) assert.ok(comments.includes(part), `<parley-comments> part ${part}`);
    const related = element('parley-related').cssParts!.map((p) => p.name);
    for (const part of ['card', 'image', 'title']) assert.ok(related.includes(part), `<parley-related> part ${part}`);
  });

  it('names every event once, with its class and a description', () => {
    const all = TAGS.flatMap((tag) => (element(tag).events ?? []).map((e) => ({ tag, ...e })));
    for (const e of all) {
      assert.match(e.name, /^parley-[a-z-]+$|^[a-z]+$/, `<${e.tag}> event "${e.name}" is parley-prefixed (or a native name)`);
      assert.ok(e.description, `<${e.tag}> event ${e.name} has an @event description`);
    }
    for (const tag of TAGS) {
      const names = (element(tag).events ?? []).map((e) => e.name);
      assert.equal(new Set(names).size, names.length, `<${tag}> lists each event once: ${names.join(', ')}`);
    }
    const comments = (element('parley-comments').events ?? []).map((e) => e.name);
    for (const name of ['parley-comments-loaded', 'parley-comment-posted']) assert.ok(comments.includes(name), `<parley-comments> fires ${name}`);
  });

  it('documents the public reload() method of the loading elements', () => {
    for (const tag of ['parley-comments', 'parley-related']) {
      const reload = (element(tag).members ?? []).find((m) => m.kind === 'method' && m.name === 'reload');
      assert.ok(reload?.description, `<${tag}> has a documented reload()`);
    }
  });
});

import { expect } from '@open-wc/testing';
import { pageIdentity } from './page-identity.ts';
import { embedOrigin, serverOrigin } from './server-origin.ts';
import { ApiError, apiUrl, request } from './api-client.ts';
import { server, deadServer } from '../test/support.ts';

describe('pageIdentity', () => {
  afterEach(() => document.querySelectorAll('link[rel="canonical"]').forEach((link) => link.remove()));

  it('uses the page attribute verbatim', () => {
    expect(pageIdentity('post-42?x=1')).to.equal('post-42?x=1');
  });

  it('falls back to location.pathname without query or hash', () => {
    expect(pageIdentity('')).to.equal(location.pathname);
    expect(pageIdentity(null)).to.not.include('?');
  });

  it('prefers the path of <link rel="canonical">', () => {
    const link = Object.assign(document.createElement('link'), { rel: 'canonical', href: 'https://news.example/articles/a.html?utm=x#top' });
    document.head.append(link);
    expect(pageIdentity('')).to.equal('/articles/a.html');
    expect(pageIdentity('explicit')).to.equal('explicit');
  });

  it('resolves a relative canonical href against the document', () => {
    const link = Object.assign(document.createElement('link'), { rel: 'canonical', href: '/relative/path' });
    document.head.append(link);
    expect(pageIdentity()).to.equal('/relative/path');
  });
});

describe('serverOrigin', () => {
  it('defaults to the origin the module was loaded from', () => {
    // In the test runner the module comes from the test server, i.e. this document's origin.
    expect(embedOrigin).to.equal(location.origin);
    expect(serverOrigin('')).to.equal(location.origin);
  });

  it('uses the server attribute without trailing slashes', () => {
    expect(serverOrigin('https://comments.example/')).to.equal('https://comments.example');
    expect(serverOrigin('https://x.example/parley//')).to.equal('https://x.example/parley');
  });
});

describe('api client', () => {
  it('builds URLs with a path prefix and query', () => {
    expect(apiUrl('https://x.example/parley', '/api/comments', { page: '/a b', site: undefined })).to.equal(
      'https://x.example/parley/api/comments?page=%2Fa+b',
    );
  });

  it('turns error JSON into an ApiError with issues', async () => {
    const error = await request(server, 'POST /api/comments', { body: { page: '/x', body: '   ' } }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).to.equal(400);
    expect(apiError.code).to.equal('validation_failed');
    expect(apiError.issues.map((issue) => issue.path)).to.include('body');
  });

  it('reports an unreachable server as a network error', async () => {
    const error = (await request(deadServer, 'GET /api/comments', { query: { page: '/x' } }).catch((e: unknown) => e)) as ApiError;
    expect(error).to.be.instanceOf(ApiError);
    expect(error.status).to.equal(0);
    expect(error.code).to.equal('network_error');
  });

  it('passes the AbortSignal down', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = (await request(server, 'GET /api/comments', { query: { page: '/x' }, signal: controller.signal }).catch((e: unknown) => e)) as Error;
    expect(error.name).to.equal('AbortError');
  });
});

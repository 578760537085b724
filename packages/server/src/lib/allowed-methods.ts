/**
 * For a 405: which methods the app answers on `path`, read from the app's own route table, so every
 * route with a parameter (`/api/comments/:id`, `/api/admin/bans/:id`…) gets `405` + `Allow` for a
 * wrong method rather than a 404, without a hand-kept list going stale.
 */
export function allowedMethodsLookup(routes: () => readonly { method: string; path: string }[]): (path: string) => string | undefined {
  let compiled: Array<{ pattern: RegExp; methods: Set<string> }> | undefined;
  const compile = () => {
    const byPath = new Map<string, Set<string>>();
    for (const route of routes()) {
      if (route.method === 'ALL') continue; // middleware, not an answer
      const methods = byPath.get(route.path) ?? new Set<string>();
      methods.add(route.method);
      byPath.set(route.path, methods);
    }
    return [...byPath].map(([path, methods]) => ({ pattern: toRegExp(path), methods }));
  };
  return (path) => {
    compiled ??= compile();
    const methods = new Set<string>();
    for (const route of compiled) if (route.pattern.test(path)) for (const method of route.methods) methods.add(method);
    if (methods.size === 0) return undefined;
    if (methods.has('GET')) methods.add('HEAD');
    if (path.startsWith('/api/')) methods.add('OPTIONS'); // CORS preflights
    return ORDER.filter((method) => methods.has(method)).join(', ');
  };
}

const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function toRegExp(path: string): RegExp {
  const source = path
    .replace(/\/+$/, '')
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) return '[^/]+';
      if (segment === '*') return '.*';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}/?$`);
}

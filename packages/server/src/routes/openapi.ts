import { swaggerUI } from '@hono/swagger-ui';
import { Hono } from 'hono';
import { VERSION } from '../cli/version.ts';
import { buildOpenApi } from '../openapi/document.ts';

/**
 * `GET /api/openapi.json` (built once, on first request, from the finished app) and
 * `GET /api/docs`, Swagger UI over it (its script and styles come from a CDN).
 */
export function openApiRoutes(app: () => Hono<any, any, any>) {
  let document: string | undefined;
  return new Hono()
    .get('/openapi.json', (c) => {
      document ??= JSON.stringify(buildOpenApi(app(), VERSION));
      return c.body(document, 200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' });
    })
    .get('/docs', swaggerUI({ url: '/api/openapi.json', title: 'Parley API' }));
}

import type { Hono } from 'hono';
import { z } from 'zod';
import { ErrorBodySchema } from '@parley/schema';
import { VALIDATES, type Validation } from '../lib/validate.ts';
import { RESPONSES } from './responses.ts';

/** `/api/comments/:id` → `/api/comments/{id}`; a trailing `*` (client routes) → `{path}`. */
export function openApiPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\/\*$/, '/{path}');
}

/** The `METHOD /path` of every route the app answers (middleware, registered for ALL, left out). */
export function answeredRoutes(app: Hono<any, any, any>): string[] {
  return [...new Set(app.routes.filter((route) => route.method !== 'ALL').map((route) => `${route.method} ${route.path}`))];
}

/** What each route's validators check (`METHOD /path` as Hono spells it), read off the middleware. */
export function routeValidations(app: Hono<any, any, any>): Map<string, Validation[]> {
  const validations = new Map<string, Validation[]>();
  for (const route of app.routes) {
    const validation = (route.handler as { [VALIDATES]?: Validation })[VALIDATES];
    if (!validation || route.method === 'ALL') continue;
    const key = `${route.method} ${route.path}`;
    validations.set(key, [...(validations.get(key) ?? []), validation]);
  }
  return validations;
}

/** A zod schema as an OpenAPI 3.1 Schema Object (JSON Schema 2020-12, whose dialect the document implies). */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...described } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  return described;
}

/**
 * The OpenAPI 3.1 document of an app, built from the app itself: its routes, the zod schemas
 * their validators check (the same objects, read off the middleware) and RESPONSES.
 */
export function buildOpenApi(app: Hono<any, any, any>, version: string): Record<string, unknown> {
  const validations = routeValidations(app);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const key of answeredRoutes(app)) {
    const [method, honoPath] = key.split(' ') as [string, string];
    const path = openApiPath(honoPath);
    const parameters: unknown[] = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => ({ name: match[1], in: 'path', required: true, schema: { type: 'string' } }));
    let requestBody: unknown;
    for (const { target, schema } of validations.get(key) ?? []) {
      const described = jsonSchema(schema as z.ZodType, 'input');
      if (target === 'json') {
        requestBody = { required: true, content: { 'application/json': { schema: described } } };
      } else if (target === 'query' || target === 'param' || target === 'header') {
        const where = target === 'param' ? 'path' : target;
        const properties = (described.properties ?? {}) as Record<string, unknown>;
        const required = new Set((described.required ?? []) as string[]);
        for (const [name, property] of Object.entries(properties)) {
          const index = parameters.findIndex((p) => (p as { name: string; in: string }).name === name && (p as { in: string }).in === where);
          const parameter = { name, in: where, required: where === 'path' || required.has(name), schema: property };
          if (index >= 0) parameters[index] = parameter;
          else parameters.push(parameter);
        }
      }
    }
    const responses: Record<string, unknown> = {};
    for (const [status, doc] of Object.entries(RESPONSES[key] ?? { 200: { description: 'Success' } })) {
      const mediaType = doc.mediaType ?? 'application/json';
      responses[status] = mediaType === 'none'
        ? { description: doc.description }
        : { description: doc.description, content: { [mediaType]: { schema: doc.schema ? jsonSchema(doc.schema, 'output') : {} } } };
    }
    responses.default = { description: 'An error', content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } } };
    (paths[path] ??= {})[method.toLowerCase()] = {
      operationId: `${method.toLowerCase()}${honoPath.replace(/[^A-Za-z0-9]+(.)?/g, (_m, next: string | undefined) => (next ?? '').toUpperCase())}`,
      tags: [honoPath.split('/')[2] && honoPath.startsWith('/api/') ? honoPath.split('/')[2] : 'files'],
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Parley', version, description: 'Comments, counts and related articles. Generated from the zod schemas the server validates with.' },
    paths,
    components: {
      schemas: { ErrorBody: jsonSchema(ErrorBodySchema, 'output') },
      securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'PARLEY_ADMIN_TOKEN' } },
    },
  };
}

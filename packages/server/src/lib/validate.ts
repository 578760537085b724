import { zValidator } from '@hono/zod-validator';
import { createMiddleware } from 'hono/factory';
import type { ValidationTargets } from 'hono';
import { NUL_CHARACTER_MESSAGE, UNPAIRED_SURROGATE_MESSAGE, nulCharacterPaths, unpairedSurrogatePaths, type ErrorIssue } from '@parley/schema';
import type * as z from 'zod/v4/core';
import { AppError } from './errors.ts';

/** Dotted path for an issue, e.g. `author.email` or `articles.2.url`. */
function dottedPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** Turns zod issues into our issue list and a message naming each offending field. */
export function validationError(target: string, error: z.$ZodError, prefix = 'Invalid request'): AppError {
  const issues: ErrorIssue[] = error.issues.map((issue) => ({ path: dottedPath(issue.path), message: issue.message }));
  const described = issues.map((issue) => `${issue.path || target}: ${issue.message}`).join('; ');
  return new AppError(400, 'validation_failed', `${prefix}: ${described}`, issues);
}

/** Where a validator keeps what it checks, so the OpenAPI document is built from the very schemas the routes use. */
export const VALIDATES = Symbol.for('parley.validates');
export interface Validation {
  target: keyof ValidationTargets;
  schema: z.$ZodType;
}

/**
 * The NUL and surrogate rules (see `nulCharacterPaths` and `unpairedSurrogatePaths` in
 * @parley/schema), checked on what validation lets through, i.e. on everything that can reach the
 * database: 400 `validation_failed` naming each field.
 */
export function assertStorableText(target: string, data: unknown): void {
  const issues: ErrorIssue[] = [
    ...nulCharacterPaths(data).map((path) => ({ path, message: NUL_CHARACTER_MESSAGE })),
    ...unpairedSurrogatePaths(data).map((path) => ({ path, message: UNPAIRED_SURROGATE_MESSAGE })),
  ];
  if (issues.length === 0) return;
  const described = issues.map((issue) => `${issue.path || target}: ${issue.message}`).join('; ');
  throw new AppError(400, 'validation_failed', `Invalid request: ${described}`, issues);
}

/**
 * zValidator whose hook throws, so validation failures take the app's one error path.
 * For `json`, put `requireJson()` first: zValidator alone reads a wrong content type as `{}`.
 */
export function validate<Target extends keyof ValidationTargets, Schema extends z.$ZodType>(
  target: Target,
  schema: Schema,
) {
  const middleware = zValidator(target, schema, (result) => {
    if (!result.success) throw validationError(target, result.error as z.$ZodError);
    assertStorableText(target, result.data);
  });
  return Object.assign(middleware, { [VALIDATES]: { target, schema } satisfies Validation });
}

const JSON_CONTENT_TYPE = /^application\/([a-z0-9.-]+\+)?json\s*(;.*)?$/i;

/**
 * Checks the content type and that the body parses as JSON, before any validation.
 * Hono caches the parsed body, so the validator after this does not parse twice.
 */
export function requireJson() {
  return createMiddleware(async function requireJson(c, next) {
    const contentType = c.req.header('content-type') ?? '';
    if (!JSON_CONTENT_TYPE.test(contentType.trim())) {
      throw new AppError(
        415,
        'unsupported_media_type',
        `Expected Content-Type: application/json, got ${contentType ? `"${contentType}"` : 'none'}`,
      );
    }
    try {
      await c.req.json();
    } catch {
      throw new AppError(400, 'invalid_json', 'Request body is not valid JSON');
    }
    await next();
  });
}

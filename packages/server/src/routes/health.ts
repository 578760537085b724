import { Hono } from 'hono';
import type { Store } from '../store/store.ts';

export function healthRoutes(store: Store) {
  return new Hono().get('/', async (c) => {
    await store.ping(); // a failing database makes this a 500, which is what a probe should see
    c.header('Cache-Control', 'no-store');
    return c.json({ status: 'ok' as const }, 200);
  });
}

import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The author token a reader's post presented, for the `first-time` rule. The route sets it around
 * the comments service's `post` call, and the gate reads it, so the service in between need not
 * carry it (a `GateRequest.authorToken` passed explicitly wins).
 */
const presented = new AsyncLocalStorage<string | undefined>();

export function withAuthorToken<T>(token: string | undefined, work: () => Promise<T>): Promise<T> {
  return presented.run(token, work);
}

export function presentedAuthorToken(): string | undefined {
  return presented.getStore();
}

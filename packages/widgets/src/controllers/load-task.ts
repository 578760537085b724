import type { ReactiveController, ReactiveControllerHost } from 'lit';

/*
 * The part of `@lit/task` the widgets use, in a third of its bytes (it is in the first load):
 * the same `Task` class, statuses and `initialState`, with the same timing — args are read
 * before each host update, a change (`Object.is` per item) runs the task, a newer run aborts
 * and outdates the older one, and each status change requests an update. Left out: `autoRun`
 * options, `argsEqual`, `initialValue`, `onComplete`/`onError`, `taskComplete` and `abort()`.
 */

export const TaskStatus = { INITIAL: 0, PENDING: 1, COMPLETE: 2, ERROR: 3 } as const;
export type TaskStatus = (typeof TaskStatus)[keyof typeof TaskStatus];

/** Returned by a task to go back to the initial status (nothing to load yet). */
export const initialState = Symbol();

export interface TaskConfig<A extends readonly unknown[], R> {
  task: (args: A, options: { signal: AbortSignal }) => Promise<R | typeof initialState>;
  args: () => A;
}

export interface TaskRenderer<R, T> {
  initial?: () => T;
  pending?: () => T;
  complete?: (value: R) => T;
  error?: (error: unknown) => T;
}

export class Task<A extends readonly unknown[], R> implements ReactiveController {
  status: TaskStatus = TaskStatus.INITIAL;
  value?: R;
  error?: unknown;
  #args?: A;
  #call = 0;
  #abort?: AbortController;
  readonly #host: ReactiveControllerHost;
  readonly #config: TaskConfig<A, R>;

  constructor(host: ReactiveControllerHost, config: TaskConfig<A, R>) {
    this.#host = host;
    this.#config = config;
    host.addController(this);
  }

  hostUpdate(): void {
    const args = this.#config.args();
    const previous = this.#args;
    this.#args = args;
    if (!previous || previous.length !== args.length || args.some((arg, i) => !Object.is(arg, previous[i]))) void this.run(args);
  }

  /** Runs the task now (with `args`, else the current ones); resolves when this run settles. */
  async run(args: A = this.#config.args()): Promise<void> {
    this.#args = args;
    if (this.status === TaskStatus.PENDING) this.#abort?.abort();
    this.status = TaskStatus.PENDING;
    this.#host.requestUpdate();
    const call = ++this.#call;
    const abort = (this.#abort = new AbortController());
    let result: R | typeof initialState | undefined;
    let error: unknown;
    let failed = false;
    try {
      result = await this.#config.task(args, { signal: abort.signal });
    } catch (thrown) {
      failed = true;
      error = thrown;
    }
    if (call !== this.#call) return;
    if (result === initialState) this.status = TaskStatus.INITIAL;
    else {
      this.status = failed ? TaskStatus.ERROR : TaskStatus.COMPLETE;
      this.value = result as R | undefined;
      this.error = error;
    }
    this.#host.requestUpdate();
  }

  render<T>(renderer: TaskRenderer<R, T>): T | undefined {
    const { status } = this;
    return status === TaskStatus.INITIAL
      ? renderer.initial?.()
      : status === TaskStatus.PENDING
        ? renderer.pending?.()
        : status === TaskStatus.COMPLETE
          ? renderer.complete?.(this.value as R)
          : renderer.error?.(this.error);
  }
}

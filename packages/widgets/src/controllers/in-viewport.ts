import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Flips `visible` to true (once) when the host comes within `rootMargin` of the viewport and
 * asks the host to update. Without IntersectionObserver the host counts as visible at once.
 */
export class InViewportController implements ReactiveController {
  visible = typeof IntersectionObserver === 'undefined';
  #observer?: IntersectionObserver;
  readonly #host: ReactiveControllerHost & Element;
  readonly #rootMargin: string;

  constructor(host: ReactiveControllerHost & Element, rootMargin = '400px') {
    this.#host = host;
    this.#rootMargin = rootMargin;
    host.addController(this);
  }

  hostConnected(): void {
    if (this.visible) return;
    this.#observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          this.visible = true;
          this.#observer?.disconnect();
          this.#host.requestUpdate();
        }
      },
      { rootMargin: this.#rootMargin },
    );
    this.#observer.observe(this.#host);
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
  }
}

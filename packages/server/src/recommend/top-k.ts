/** A min-heap of the k best (slot, score); ties broken by key, then slot, so results are stable. */
export class TopK {
  private readonly slots: number[] = [];
  private readonly scores: number[] = [];
  private readonly keys: (string | undefined)[] = [];

  constructor(private readonly k: number) {}

  /** False when `score` cannot enter the heap whatever its tie-breaks (strictly below a full heap's worst). */
  mayAccept(score: number): boolean {
    return this.slots.length < this.k || !(score < this.scores[0]!);
  }

  /** True when a should sit below b in the heap (is worse). */
  private worse(i: number, j: number): boolean {
    if (this.scores[i] !== this.scores[j]) return this.scores[i]! < this.scores[j]!;
    const ki = this.keys[i];
    const kj = this.keys[j];
    if (ki !== undefined && kj !== undefined && ki !== kj) return ki > kj;
    return this.slots[i]! > this.slots[j]!;
  }

  private swap(i: number, j: number): void {
    [this.slots[i], this.slots[j]] = [this.slots[j]!, this.slots[i]!];
    [this.scores[i], this.scores[j]] = [this.scores[j]!, this.scores[i]!];
    [this.keys[i], this.keys[j]] = [this.keys[j], this.keys[i]];
  }

  offer(slot: number, score: number, key?: string): void {
    if (this.k <= 0) return;
    if (this.slots.length < this.k) {
      this.slots.push(slot);
      this.scores.push(score);
      this.keys.push(key);
      let i = this.slots.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(i, parent)) break;
        this.swap(i, parent);
        i = parent;
      }
      return;
    }
    // Compare with the worst kept (the root) through a temporary slot at the end.
    this.slots.push(slot);
    this.scores.push(score);
    this.keys.push(key);
    const last = this.slots.length - 1;
    const better = this.worse(0, last);
    this.slots.pop();
    this.scores.pop();
    this.keys.pop();
    if (!better) return;
    this.slots[0] = slot;
    this.scores[0] = score;
    this.keys[0] = key;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < this.slots.length && this.worse(left, smallest)) smallest = left;
      if (right < this.slots.length && this.worse(right, smallest)) smallest = right;
      if (smallest === i) break;
      this.swap(i, smallest);
      i = smallest;
    }
  }

  /** Best first. */
  sorted(): { slot: number; score: number }[] {
    const order = this.slots.map((_, i) => i);
    order.sort((i, j) => (this.worse(i, j) ? 1 : this.worse(j, i) ? -1 : 0));
    return order.map((i) => ({ slot: this.slots[i]!, score: this.scores[i]! }));
  }
}

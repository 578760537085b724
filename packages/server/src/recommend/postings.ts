/** Growable parallel arrays of (slot, weight). */
export class SlotWeights {
  slots = new Int32Array(4);
  weights = new Float32Array(4);
  length = 0;

  push(slot: number, weight: number): void {
    if (this.length === this.slots.length) {
      const slots = new Int32Array(this.length * 2);
      slots.set(this.slots);
      this.slots = slots;
      const weights = new Float32Array(this.length * 2);
      weights.set(this.weights);
      this.weights = weights;
    }
    this.slots[this.length] = slot;
    this.weights[this.length] = weight;
    this.length += 1;
  }
}

/**
 * One word's postings, appended to and never shifted. A common word also keeps a "champion
 * list" (Manning et al., Introduction to Information Retrieval, 7.1.3): the postings whose weight
 * is at least a threshold picked so that about `size` qualify. Queries scan only the champions
 * of common words, which bounds query time however large the site grows.
 */
export class Postings extends SlotWeights {
  /** Entries whose slot has since been freed; compacted away when they pile up. */
  dead = 0;
  champions: SlotWeights | undefined;
  threshold = Number.POSITIVE_INFINITY;
  private championsBuilt = 0;

  override push(slot: number, weight: number): void {
    super.push(slot, weight);
    if (this.champions && weight >= this.threshold) this.champions.push(slot, weight);
  }

  /** The postings a query scans: all of them, or the champions when the list is long. */
  scanned(size: number): SlotWeights {
    if (size <= 0 || this.length <= 2 * size) return this;
    // Rebuilt when adds have grown the champions by half again (amortised over those adds).
    if (!this.champions || this.champions.length > this.championsBuilt + size) {
      const sorted = this.weights.slice(0, this.length).sort();
      this.threshold = sorted[this.length - size]!;
      const champions = new SlotWeights();
      // Ties at the threshold could admit most of a list of equal weights: cap what is taken.
      for (let i = 0; i < this.length && champions.length < 2 * size; i += 1) {
        if (this.weights[i]! >= this.threshold) champions.push(this.slots[i]!, this.weights[i]!);
      }
      this.champions = champions;
      this.championsBuilt = champions.length;
    }
    return this.champions;
  }

  compact(alive: (slot: number) => boolean): void {
    let kept = 0;
    for (let i = 0; i < this.length; i += 1) {
      const slot = this.slots[i]!;
      if (!alive(slot)) continue;
      this.slots[kept] = slot;
      this.weights[kept] = this.weights[i]!;
      kept += 1;
    }
    this.length = kept;
    this.dead = 0;
    this.champions = undefined;
  }
}

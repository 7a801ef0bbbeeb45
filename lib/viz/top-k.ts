// A bounded min-heap that keeps the k best entries seen so far.

export interface Ranked {
  value: number;
  /** Arrival order; among equal values the earlier one ranks higher. */
  order: number;
}

/** True when a ranks below b. */
function worse(a: Ranked, b: Ranked): boolean {
  return a.value < b.value || (a.value === b.value && a.order > b.order);
}

export class TopK<T extends Ranked> {
  private readonly heap: T[] = [];

  constructor(readonly k: number) {
    if (!(k >= 1 && Number.isInteger(k))) throw new RangeError(`k must be a positive integer, got ${k}`);
  }

  get size(): number {
    return this.heap.length;
  }

  /** Would `value` (arriving now, so after every kept entry) get in? Lets callers skip building entries. */
  admits(value: number): boolean {
    return this.heap.length < this.k || value > this.heap[0].value;
  }

  push(entry: T): void {
    if (Number.isNaN(entry.value)) return;
    if (this.heap.length < this.k) {
      this.heap.push(entry);
      this.siftUp(this.heap.length - 1);
    } else if (worse(this.heap[0], entry)) {
      this.heap[0] = entry;
      this.siftDown(0);
    }
  }

  /** Best first. */
  sorted(): T[] {
    return [...this.heap].sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
  }

  private siftUp(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!worse(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const h = this.heap;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < h.length && worse(h[left], h[least])) least = left;
      if (right < h.length && worse(h[right], h[least])) least = right;
      if (least === i) return;
      [h[i], h[least]] = [h[least], h[i]];
      i = least;
    }
  }
}

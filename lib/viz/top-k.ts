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

/**
 * One bounded min-heap per channel in flat typed arrays (the activation atlas keeps thousands):
 * the same ranking as TopK, each entry a value, its arrival order and a position.
 */
export class ChannelTopK {
  readonly value: Float32Array;
  readonly order: Int32Array;
  readonly position: Int32Array;
  readonly size: Uint16Array;

  constructor(
    readonly channels: number,
    readonly k: number,
  ) {
    if (!(k >= 1 && k <= 65_535 && Number.isInteger(k)))
      throw new RangeError(`k must be in 1..65535, got ${k}`);
    this.value = new Float32Array(channels * k);
    this.order = new Int32Array(channels * k);
    this.position = new Int32Array(channels * k);
    this.size = new Uint16Array(channels);
  }

  /** Would `value` (arriving after every kept entry) get into channel c's heap? */
  admits(c: number, value: number): boolean {
    return this.size[c] < this.k || value > this.value[c * this.k];
  }

  push(c: number, value: number, order: number, position: number): void {
    if (Number.isNaN(value) || !this.admits(c, value)) return;
    const base = c * this.k;
    let i: number;
    if (this.size[c] < this.k) {
      i = this.size[c]++;
      this.set(base + i, value, order, position);
      this.siftUp(base, i);
    } else {
      this.set(base, value, order, position);
      this.siftDown(base, 0, this.k);
    }
  }

  /** Channel c's entries best first, as indices into value/order/position. */
  sorted(c: number): number[] {
    const base = c * this.k;
    const slots = Array.from({ length: this.size[c] }, (_, i) => base + i);
    return slots.sort((a, b) => (this.worse(a, b) ? 1 : this.worse(b, a) ? -1 : 0));
  }

  private set(slot: number, value: number, order: number, position: number): void {
    this.value[slot] = value;
    this.order[slot] = order;
    this.position[slot] = position;
  }

  /** True when the entry in slot a ranks below the one in slot b. */
  private worse(a: number, b: number): boolean {
    return (
      this.value[a] < this.value[b] || (this.value[a] === this.value[b] && this.order[a] > this.order[b])
    );
  }

  private swap(a: number, b: number): void {
    const { value, order, position } = this;
    [value[a], value[b]] = [value[b], value[a]];
    [order[a], order[b]] = [order[b], order[a]];
    [position[a], position[b]] = [position[b], position[a]];
  }

  private siftUp(base: number, i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.worse(base + i, base + parent)) return;
      this.swap(base + i, base + parent);
      i = parent;
    }
  }

  private siftDown(base: number, i: number, size: number): void {
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < size && this.worse(base + left, base + least)) least = left;
      if (right < size && this.worse(base + right, base + least)) least = right;
      if (least === i) return;
      this.swap(base + i, base + least);
      i = least;
    }
  }
}

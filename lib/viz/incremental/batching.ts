// Which patch positions share a batch. A batch runs every layer on one window size (the largest of its
// elements'), so an element whose change spreads less than its batch-mates' pays for theirs. Along each
// axis a position's windows depend only on its coordinate on that axis, so positions with the same row
// signature and column signature need the same windows everywhere: batched together, nothing is wasted.
import { limitSpan, reachedOutputs, type Span, spanUnion } from './geometry';
import type { PlannedLayer } from './plan';

export interface BatchingOptions {
  /** Largest batch. */
  batchSize: number;
  /** Groups smaller than this are packed together (many tiny batches cost more in per-call overhead). */
  minBatch?: number;
}

/** The window length of every layer along one axis, as a key, for a change over [start, end). */
export function axisSignature(
  plan: readonly PlannedLayer[],
  axis: 0 | 1,
  changed: Span,
  spread: number,
): string {
  const spans = new Map<string, Span>();
  const lengths: number[] = [];
  for (const { info, step } of plan) {
    if (step.kind === 'input') {
      spans.set(info.name, changed);
      continue;
    }
    const inputs = info.inbound.map((n) => spans.get(n));
    if (inputs.some((s) => s === undefined)) continue;
    let span: Span;
    if (step.kind === 'window') {
      const a = step.axes[axis];
      span = limitSpan(reachedOutputs(inputs[0]!, a), a.outputSize, spread);
    } else if (step.kind === 'pointwise') {
      span = inputs[0]!;
    } else if (step.kind === 'merge') {
      span = inputs.reduce<Span>((u, s) => spanUnion(u, s!), { start: 0, end: 0 });
    } else {
      continue;
    }
    spans.set(info.name, span);
    if (step.kind === 'window') lengths.push(span.end - span.start);
  }
  return lengths.join(',');
}

/**
 * Batches of indices into `positions`: positions with equal row and column signatures together, split
 * evenly into batches of at most batchSize; groups under minBatch packed in signature order, where
 * neighbours differ least. Every index appears once.
 */
export function groupBySignature(
  rowKeys: readonly string[],
  colKeys: readonly string[],
  { batchSize, minBatch = 4 }: BatchingOptions,
): number[][] {
  const size = Math.max(1, Math.floor(batchSize));
  const groups = new Map<string, number[]>();
  rowKeys.forEach((row, i) => {
    const key = `${row}|${colKeys[i]}`;
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  });
  const batches: number[][] = [];
  const leftovers: { key: string; members: number[] }[] = [];
  for (const [key, members] of groups) {
    if (members.length < Math.min(minBatch, size)) {
      leftovers.push({ key, members });
      continue;
    }
    const count = Math.ceil(members.length / size);
    const even = Math.ceil(members.length / count);
    for (let start = 0; start < members.length; start += even)
      batches.push(members.slice(start, start + even));
  }
  leftovers.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const packed = leftovers.flatMap((g) => g.members);
  for (let start = 0; start < packed.length; start += size) batches.push(packed.slice(start, start + size));
  return batches;
}

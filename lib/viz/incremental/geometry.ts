// Index arithmetic of incremental inference along one axis: which outputs of a sliding window
// a changed input range reaches, and where a batch's windows sit.

/** Half-open [start, end); empty when end <= start. */
export interface Span {
  start: number;
  end: number;
}

export interface WindowAxis {
  /** Effective kernel extent, (kernel − 1)·dilation + 1. */
  extent: number;
  stride: number;
  /** Padding before the first input position. */
  padBefore: number;
  inputSize: number;
  outputSize: number;
}

/** Outputs whose window touches the changed input span, clipped to the output. */
export function reachedOutputs(changed: Span, axis: WindowAxis): Span {
  if (changed.end <= changed.start) return { start: 0, end: 0 };
  const start = Math.max(0, Math.ceil((changed.start + axis.padBefore - axis.extent + 1) / axis.stride));
  const end = Math.min(axis.outputSize, Math.floor((changed.end - 1 + axis.padBefore) / axis.stride) + 1);
  return end > start ? { start, end } : { start: 0, end: 0 };
}

/** Padding after the last input position that the layer's windows read. */
export function padAfter(axis: WindowAxis): number {
  return Math.max(0, (axis.outputSize - 1) * axis.stride + axis.extent - axis.padBefore - axis.inputSize);
}

/** Input extent read by `outputs` consecutive outputs. */
export function inputExtent(outputs: number, axis: WindowAxis): number {
  return (outputs - 1) * axis.stride + axis.extent;
}

/**
 * One window size for a whole batch (the largest span, at least 1) and each element's origin,
 * moved inwards where the window would leave [0, size). Windows only ever grow the recomputed
 * area, so the result stays exact.
 */
export function batchWindows(spans: readonly Span[], size: number): { length: number; origins: Int32Array } {
  let length = 1;
  for (const s of spans) length = Math.max(length, s.end - s.start);
  length = Math.min(length, size);
  const origins = new Int32Array(spans.length);
  spans.forEach((s, b) => {
    const start = s.end > s.start ? s.start : 0;
    origins[b] = Math.min(Math.max(0, start), size - length);
  });
  return { length, origins };
}

/** The smallest span covering both (an empty span adds nothing). */
export function spanUnion(a: Span, b: Span): Span {
  if (a.end <= a.start) return b;
  if (b.end <= b.start) return a;
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/**
 * Projective-field thresholding (Krypton's approximation): a change may reach at most
 * ⌈fraction·size⌉ outputs, the ones around the middle of the span it would reach. Everything outside
 * is read as unchanged. fraction ≥ 1 leaves the span as it is (exact).
 */
export function limitSpan(span: Span, size: number, fraction: number): Span {
  const most = Math.max(1, Math.ceil(fraction * size));
  if (span.end - span.start <= most) return span;
  const start = Math.min(size - most, Math.max(0, Math.round((span.start + span.end - most) / 2)));
  return { start, end: start + most };
}

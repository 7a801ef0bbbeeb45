'use client';

/** Where a result was computed, e.g. "server (wasm)" or "your browser (webgl)". */
export function ResultSourceBadge({ source }: { source: string }) {
  return (
    <span
      data-testid="result-source"
      title="Where this result was computed"
      className="inline-flex items-center gap-1.5 rounded-full border border-slate-300 bg-white px-2.5 py-0.5 text-xs font-medium text-slate-600"
    >
      <span aria-hidden className="h-1.5 w-1.5 rounded-full bg-emerald-500" />
      <span className="sr-only">Computed on </span>
      {source}
    </span>
  );
}

'use client';

import { useComputed } from '../compute/use-computed';

export function PredictionLine({ modelId, imageId }: { modelId: string; imageId: string }) {
  const prediction = useComputed({ kind: 'predict', modelId, imageId });
  const top = prediction?.result?.top.slice(0, 3);
  if (!top) return <span>{imageId}</span>;
  return (
    <span data-testid="prediction">
      {imageId.split('/').pop()} → the model says{' '}
      {top.map((t, i) => (
        <span key={t.index} className={i === 0 ? 'font-semibold text-slate-900' : ''}>
          {i > 0 && ', '}
          {t.label} {(t.prob * 100).toFixed(1)}%
        </span>
      ))}
    </span>
  );
}

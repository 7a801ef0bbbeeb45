'use client';

import { useComputed } from '../compute/use-computed';
import { useImageName } from '../forms/use-image-name';

export function PredictionLine({ modelId, imageId }: { modelId: string; imageId: string }) {
  const prediction = useComputed({ kind: 'predict', modelId, imageId });
  const top = prediction?.result?.top.slice(0, 3);
  // An upload by the name it was sent with, never its stored hash.
  const uploaded = useImageName(imageId.startsWith('uploads/') ? imageId : null);
  const name = uploaded ?? imageId.split('/').pop();
  if (!top) return <span>{name}</span>;
  return (
    <span data-testid="prediction">
      {name} → the model says{' '}
      {top.map((t, i) => (
        <span key={t.index} className={i === 0 ? 'font-semibold text-slate-900' : ''}>
          {i > 0 && ', '}
          {t.label} {(t.prob * 100).toFixed(1)}%
        </span>
      ))}
    </span>
  );
}

'use client';

import type { ModelInfoResult } from '@/lib/compute/types';
import type { SessionState } from '@/lib/session/state';
import type { PixelImage } from '@/lib/viz/image';
import { useComputed } from '../../compute/use-computed';
import { OcclusionView } from '../../viz';
import type { Dispatch } from '../dispatch';
import { OcclusionControls } from './occlusion-controls';
import { originText } from './origin-text';

export function OcclusionPanel({
  state,
  info,
  image,
  dispatch,
}: {
  state: SessionState;
  info: ModelInfoResult;
  image: PixelImage | null;
  dispatch?: Dispatch;
}) {
  const { modelId, imageId, occlusion, probe } = state;
  const side = info.manifest.inputSize.height;
  const patch = Math.min(occlusion.patch, side);
  const base = imageId ? { modelId, imageId, fill: occlusion.fill, classIndex: occlusion.classIndex } : null;
  const map = useComputed(base && { kind: 'occlusion', ...base, patch, stride: occlusion.stride });
  const probed = useComputed(
    base && probe ? { kind: 'probe', ...base, patch, y: clampCell(probe.y), x: clampCell(probe.x) } : null,
  );
  const result = map?.result ?? map?.partial ?? null;
  const classIndex = result?.classIndex ?? occlusion.classIndex;
  const classLabel = classIndex === null ? '…' : (info.manifest.labels[classIndex] ?? `class ${classIndex}`);

  return (
    <div className="space-y-4">
      <OcclusionControls
        params={occlusion}
        inputSide={side}
        labels={info.manifest.labels}
        dispatch={dispatch}
      />
      {map?.status === 'error' && (
        <p role="alert" className="text-sm text-red-700">
          {map.error}
        </p>
      )}
      <OcclusionView
        image={image}
        map={result}
        classLabel={classLabel}
        probe={probe}
        probeProb={probed?.result?.prob ?? null}
        patch={patch}
        onProbe={
          dispatch &&
          ((p) => dispatch({ type: 'probe.set', probe: p && { y: clampCell(p.y), x: clampCell(p.x) } }))
        }
        progress={map?.status === 'loading' ? (map.progress ?? { done: 0 }) : null}
        source={map?.origin ? originText(map.origin) : undefined}
      />
    </div>
  );
}

function clampCell(v: number): number {
  return Math.max(0, Math.round(v));
}

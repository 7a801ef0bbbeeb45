'use client';

import type { ModelInfoResult } from '@/lib/compute/types';
import { clampProbe, fitOcclusion } from '@/lib/protocol/occlusion-grid';
import { occlusionRequests } from '@/lib/session/shared-view';
import type { SessionState } from '@/lib/session/state';
import type { PixelImage } from '@/lib/viz';
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
  onDrag,
}: {
  state: SessionState;
  info: ModelInfoResult;
  image: PixelImage | null;
  dispatch?: Dispatch;
  /** The patch while it is dragged (ephemeral: the instructor's drags reach the class without being logged). */
  onDrag?: (probe: { y: number; x: number } | null) => void;
}) {
  const { occlusion, probe } = state;
  const input = info.manifest.inputSize;
  const { patch } = fitOcclusion(occlusion, input);
  const requests = occlusionRequests(state, info);
  const map = useComputed(requests.map);
  const probed = useComputed(requests.probe);
  const result = map?.result ?? map?.partial ?? null;
  const classIndex = result?.classIndex ?? occlusion.classIndex;
  const classLabel = classIndex === null ? '…' : (info.manifest.labels[classIndex] ?? `class ${classIndex}`);

  return (
    <div className="space-y-4">
      <OcclusionControls params={occlusion} input={input} labels={info.manifest.labels} dispatch={dispatch} />
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
          ((p, settled) => {
            const fitted = p && clampProbe(p, patch, input);
            if (settled || !onDrag) dispatch({ type: 'probe.set', probe: fitted });
            else onDrag(fitted);
          })
        }
        progress={map?.status === 'loading' ? (map.job ?? { state: 'queued', ahead: 0 }) : null}
        source={map?.origin ? originText(map.origin) : undefined}
        preview={!map?.result && !!map?.partial}
      />
    </div>
  );
}

'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { OCCLUSION_FILLS, type OcclusionParams } from '@/lib/protocol/actions';
import { fitOcclusion, type InputSize, maxOcclusionSide } from '@/lib/protocol/occlusion-grid';
import { type Choice, LabelledSelect } from '../../forms/labelled-select';
import type { Dispatch } from '../dispatch';

const TOP_PREDICTION = -1;

/**
 * The settings as last chosen here until the session shows them: each change sends all four settings, and one
 * made before the previous change is back must build on it, not on the settings it replaces (patch 32, then
 * stride 8 at once, sent patch 8 back). A refused change is dropped.
 */
function useChosenParams(confirmed: OcclusionParams, dispatch: Dispatch | undefined) {
  const [pending, setPending] = useState<OcclusionParams | null>(null);
  const latest = useRef<OcclusionParams | null>(null);
  const drop = useCallback((sent: OcclusionParams) => {
    if (latest.current !== sent) return;
    latest.current = null;
    setPending(null);
  }, []);
  useEffect(() => {
    if (latest.current && sameParams(latest.current, confirmed)) drop(latest.current);
  }, [confirmed, drop]);
  const set = (patch: Partial<OcclusionParams>) => {
    if (!dispatch) return;
    const next = { ...(latest.current ?? confirmed), ...patch };
    latest.current = next;
    setPending(next);
    void dispatch({ type: 'occlusion.set', params: next }).then((ack) => {
      if (!ack.ok) drop(next);
    });
  };
  return { params: pending ?? confirmed, set };
}

const sameParams = (a: OcclusionParams, b: OcclusionParams) =>
  a.patch === b.patch && a.stride === b.stride && a.fill === b.fill && a.classIndex === b.classIndex;

/** Patch size, stride, fill and target class; read-only text for those who follow. */
export function OcclusionControls({
  params: confirmed,
  input,
  labels,
  dispatch,
}: {
  params: OcclusionParams;
  input: InputSize;
  labels: string[];
  dispatch?: Dispatch;
}) {
  const { params, set } = useChosenParams(confirmed, dispatch);
  const { rows, cols } = fitOcclusion(params, input);
  if (!dispatch) {
    return (
      <p className="text-sm text-slate-600">
        Patch {params.patch} px, stride {params.stride} px, {params.fill} fill — {rows}×{cols} positions.
      </p>
    );
  }
  const sizes: Choice<number>[] = [2, 4, 8, 16, 24, 32, 48, 64]
    .filter((s) => s <= maxOcclusionSide(input))
    .map((s) => ({ value: s, label: `${s} px` }));
  const classes: Choice<number>[] = [
    { value: TOP_PREDICTION, label: 'top prediction' },
    ...labels.map((label, i) => ({ value: i, label: `${i}: ${label}` })),
  ];
  return (
    <div className="flex flex-wrap items-end gap-3 text-sm">
      <LabelledSelect
        label="Patch"
        ariaLabel="Patch size"
        value={params.patch}
        choices={sizes}
        onChange={(patch) => set({ patch })}
      />
      <LabelledSelect
        label="Stride"
        value={params.stride}
        choices={sizes}
        onChange={(stride) => set({ stride })}
      />
      <LabelledSelect
        label="Fill"
        value={params.fill}
        choices={OCCLUSION_FILLS.map((f) => ({ value: f, label: f }))}
        onChange={(fill) => set({ fill })}
      />
      <LabelledSelect
        label="Class"
        value={params.classIndex ?? TOP_PREDICTION}
        choices={classes}
        onChange={(c) => set({ classIndex: c === TOP_PREDICTION ? null : c })}
        className="max-w-56"
      />
      <span className="text-slate-500">
        {rows}×{cols} positions
      </span>
    </div>
  );
}

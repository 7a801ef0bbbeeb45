'use client';

import { OCCLUSION_FILLS, type OcclusionParams } from '@/lib/protocol/actions';
import type { Dispatch } from '../dispatch';

/** Patch size, stride, fill and target class; read-only text for those who follow. */
export function OcclusionControls({
  params,
  inputSide,
  labels,
  dispatch,
}: {
  params: OcclusionParams;
  inputSide: number;
  labels: string[];
  dispatch?: Dispatch;
}) {
  const cells = Math.floor((inputSide - Math.min(params.patch, inputSide)) / params.stride) + 1;
  const set = (patch: Partial<OcclusionParams>) =>
    dispatch?.({ type: 'occlusion.set', params: { ...params, ...patch } });
  if (!dispatch) {
    return (
      <p className="text-sm text-slate-600">
        Patch {params.patch} px, stride {params.stride} px, {params.fill} fill — {cells}×{cells} positions.
      </p>
    );
  }
  const sizes = [2, 4, 8, 16, 24, 32, 48, 64].filter((s) => s < inputSide);
  return (
    <div className="flex flex-wrap items-end gap-3 text-sm">
      <label className="flex flex-col">
        <span className="text-slate-600">Patch</span>
        <select
          aria-label="Patch size"
          value={params.patch}
          onChange={(e) => set({ patch: Number(e.target.value) })}
          className="rounded border px-2 py-1"
        >
          {sizes.map((s) => (
            <option key={s} value={s}>
              {s} px
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col">
        <span className="text-slate-600">Stride</span>
        <select
          aria-label="Stride"
          value={params.stride}
          onChange={(e) => set({ stride: Number(e.target.value) })}
          className="rounded border px-2 py-1"
        >
          {sizes.map((s) => (
            <option key={s} value={s}>
              {s} px
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col">
        <span className="text-slate-600">Fill</span>
        <select
          aria-label="Fill"
          value={params.fill}
          onChange={(e) => set({ fill: e.target.value as OcclusionParams['fill'] })}
          className="rounded border px-2 py-1"
        >
          {OCCLUSION_FILLS.map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col">
        <span className="text-slate-600">Class</span>
        <select
          aria-label="Class"
          value={params.classIndex ?? ''}
          onChange={(e) => set({ classIndex: e.target.value === '' ? null : Number(e.target.value) })}
          className="max-w-56 rounded border px-2 py-1"
        >
          <option value="">top prediction</option>
          {labels.map((label, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the index is the class id, fixed for a model
            <option key={i} value={i}>
              {i}: {label}
            </option>
          ))}
        </select>
      </label>
      <span className="text-slate-500">
        {cells}×{cells} positions
      </span>
    </div>
  );
}

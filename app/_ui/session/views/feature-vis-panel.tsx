'use client';

import { useState } from 'react';
import type { ModelInfoResult } from '@/lib/compute/types';
import { FEATURE_VIS_DEFAULTS, type FeatureVisParams } from '@/lib/protocol/compute';
import type { Box, LayerInfo } from '@/lib/protocol/model';
import type { Neuron } from '@/lib/protocol/primitives';
import { featureVisRequests } from '@/lib/session/shared-view';
import type { SessionState } from '@/lib/session/state';
import { layerReceptiveFields, neuronBox } from '@/lib/viz';
import { useComputed } from '../../compute/use-computed';
import { ResultSourceBadge, TopActivatingView } from '../../viz';
import { FeatureVisView } from '../../viz/feature-vis-view';
import { type CatalogImageSet, cropUrl, imageSetsFor } from '../catalog';
import type { Dispatch } from '../dispatch';
import { LayerSelect } from './layer-select';
import { originText } from './origin-text';

const STEP_CHOICES = [64, 128, 256];
/**
 * With several images each step costs that many passes: 256 steps of 3 MobileNet images take about 170 s of CPU,
 * past the server's 120 s job budget (docs/limits.md), so diverse sets stop at 128 steps.
 */
const MAX_STEPS_FOR_SETS = 128;

/**
 * "What a neuron wants to see": the instructor starts a feature visualisation of the selected neuron or its
 * channel; every screen shows the image forming, beside the photos that fire the channel most and the
 * neuron's receptive field.
 */
export function FeatureVisPanel({
  state,
  info,
  sets,
  dispatch,
}: {
  state: SessionState;
  info: ModelInfoResult;
  sets: CatalogImageSet[];
  dispatch?: Dispatch;
}) {
  const spatial = info.layers.filter((l) => l.outputShape.length === 3 && l.kind !== 'input');
  const layer = spatial.find((l) => l.name === (state.neuron?.layer ?? state.layer)) ?? spatial[0];
  const params = state.featureVis;
  const [imageSetId] = imageSetsFor(state.modelId, sets).many;
  const requests = featureVisRequests(state, imageSetId);
  const vis = useComputed(requests.vis);
  const top = useComputed(requests.top);
  const objective = params?.objective;
  const shownChannel = objective && objective.kind !== 'class' ? objective.channel : null;
  const box = objective ? receptiveBox(info.layers, objective) : null;
  const shown = vis?.result ?? vis?.partial ?? null;

  if (!layer) return <p className="text-slate-600">This model has no spatial layers.</p>;
  return (
    <div className="space-y-4">
      {dispatch && <Controls layer={layer} layers={spatial} neuron={state.neuron} dispatch={dispatch} />}
      {vis?.status === 'error' && (
        <p role="alert" className="text-sm text-red-700">
          {vis.error}
        </p>
      )}
      <div className="flex flex-wrap items-start gap-6">
        <div className="space-y-2">
          <h3 className="text-sm font-semibold text-slate-800">Optimised to excite it</h3>
          <FeatureVisView result={shown} running={params !== null && vis?.status === 'loading'} box={box} />
          {vis?.origin && <ResultSourceBadge source={originText(vis.origin)} />}
          {box && (
            <p className="text-xs text-slate-500">
              Box: the receptive field of{' '}
              {objective?.kind === 'neuron' ? 'the neuron' : 'one neuron of the channel'} ({box[2] - box[0]}×
              {box[3] - box[1]} input pixels).
            </p>
          )}
        </div>
        {shownChannel !== null && (
          <div className="min-w-0 flex-1 space-y-2">
            <h3 className="text-sm font-semibold text-slate-800">Photos that fire it most</h3>
            <TopActivatingView
              result={top?.result ?? null}
              progress={top?.status === 'loading' ? (top.job ?? { state: 'queued', ahead: 0 }) : null}
              imageUrl={(id) => cropUrl(state.modelId, id)}
              inputSize={info.manifest.inputSize}
              channels={[shownChannel]}
              thumbSize={96}
            />
          </div>
        )}
      </div>
    </div>
  );
}

/** The neuron's box, or the box of the middle neuron of the channel; none for a class. */
function receptiveBox(layers: LayerInfo[], objective: FeatureVisParams['objective']): Box | null {
  if (objective.kind === 'class') return null;
  const info = layers.find((l) => l.name === objective.layer);
  const field = layerReceptiveFields(layers).get(objective.layer);
  if (!info || !field) return null;
  const [height, width] = info.outputShape.length === 3 ? info.outputShape : [1, 1];
  return objective.kind === 'neuron'
    ? neuronBox(field, objective.y, objective.x)
    : neuronBox(field, Math.floor(height / 2), Math.floor(width / 2));
}

/** The instructor picks the unit and the settings, and starts it for everyone. */
function Controls({
  layer,
  layers,
  neuron,
  dispatch,
}: {
  layer: LayerInfo;
  layers: LayerInfo[];
  neuron: Neuron | null;
  dispatch: Dispatch;
}) {
  const [height, width, channels] = layer.outputShape;
  const current: Neuron =
    neuron && neuron.layer === layer.name
      ? neuron
      : { layer: layer.name, channel: 0, y: Math.floor(height / 2), x: Math.floor(width / 2) };
  const [kind, setKind] = useState<'channel' | 'neuron'>('channel');
  const [steps, setSteps] = useState(128);
  const [images, setImages] = useState(1);
  const [seed, setSeed] = useState(0);
  const pick = (patch: Partial<Neuron>) => dispatch({ type: 'neuron.set', neuron: { ...current, ...patch } });
  const start = () =>
    dispatch({
      type: 'featureVis.set',
      params: {
        ...FEATURE_VIS_DEFAULTS,
        objective:
          kind === 'channel'
            ? { kind: 'channel', layer: current.layer, channel: current.channel }
            : { kind: 'neuron', ...current },
        steps,
        // Fewer steps climb faster so the image still forms (docs/viz.md, speed).
        learningRate: steps < 256 ? 0.08 : FEATURE_VIS_DEFAULTS.learningRate,
        seed,
        images,
        diversity: images > 1 ? 0.5 : 0,
      },
    });
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm">
      <LayerSelect
        layers={layers}
        value={layer.name}
        onChange={(name) => {
          const next = layers.find((l) => l.name === name);
          if (!next) return;
          const [h, w] = next.outputShape;
          dispatch({
            type: 'neuron.set',
            neuron: { layer: name, channel: 0, y: Math.floor(h / 2), x: Math.floor(w / 2) },
          });
        }}
      />
      <label className="flex items-center gap-2">
        <span className="text-slate-600">Channel (0–{channels - 1})</span>
        <input
          aria-label="Channel"
          type="number"
          min={0}
          max={channels - 1}
          value={current.channel}
          onChange={(e) => {
            const channel = Number(e.target.value);
            if (Number.isInteger(channel) && channel >= 0 && channel < channels) pick({ channel });
          }}
          className="w-20 rounded border px-2 py-1 font-mono"
        />
      </label>
      <label className="flex items-center gap-2">
        <span className="text-slate-600">Excite</span>
        <select
          aria-label="Objective"
          value={kind}
          onChange={(e) => setKind(e.target.value as 'channel' | 'neuron')}
          className="rounded border px-2 py-1"
        >
          <option value="channel">the whole channel (mean)</option>
          <option value="neuron">
            the neuron at ({current.y}, {current.x})
          </option>
        </select>
      </label>
      <label className="flex items-center gap-2">
        <span className="text-slate-600">Steps</span>
        <select
          aria-label="Steps"
          value={steps}
          onChange={(e) => setSteps(Number(e.target.value))}
          className="rounded border px-2 py-1"
        >
          {STEP_CHOICES.filter((s) => images === 1 || s <= MAX_STEPS_FOR_SETS).map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label className="flex items-center gap-2">
        <span className="text-slate-600">Images</span>
        <select
          aria-label="Images"
          value={images}
          onChange={(e) => {
            const count = Number(e.target.value);
            setImages(count);
            if (count > 1) setSteps((now) => Math.min(now, MAX_STEPS_FOR_SETS));
          }}
          className="rounded border px-2 py-1"
        >
          <option value={1}>1</option>
          <option value={3}>3, kept different</option>
        </select>
      </label>
      <label className="flex items-center gap-2">
        <span className="text-slate-600">Seed</span>
        <input
          aria-label="Seed"
          type="number"
          min={0}
          value={seed}
          onChange={(e) => setSeed(Math.max(0, Math.floor(Number(e.target.value)) || 0))}
          className="w-20 rounded border px-2 py-1 font-mono"
        />
      </label>
      <button
        type="button"
        onClick={start}
        className="rounded-md bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-700"
      >
        Visualise for the class
      </button>
    </div>
  );
}

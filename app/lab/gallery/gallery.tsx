'use client';

import { type ReactNode, useMemo, useState } from 'react';
import {
  FiltersView,
  type Neuron,
  OcclusionView,
  ProgressBar,
  ReceptiveFieldView,
  ResultSourceBadge,
  TopActivatingView,
} from '@/app/_ui/viz';
import type { TileNormalization } from '@/lib/viz';
import { FIELDS, gradientImage, LAYERS, probeProbability, SIDE, syntheticOcclusionMap } from './synthetic';
import { filterTiles, preferredTiles, similarityOf, syntheticFilterBank } from './synthetic-filters';
import { syntheticImageUrl, syntheticTopActivating } from './synthetic-top-activating';
import { useReplay } from './use-replay';

const CHANNELS = [0, 3, 7];

function Demo({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section
      id={id}
      aria-labelledby={`${id}-title`}
      className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
    >
      <h2 id={`${id}-title`} className="mb-4 text-xl font-bold">
        {title}
      </h2>
      {children}
    </section>
  );
}

export function Gallery() {
  const [readOnly, setReadOnly] = useState(false);
  const image = useMemo(() => gradientImage(), []);

  const [layer, setLayer] = useState<string | null>('conv3');
  const [neuron, setNeuron] = useState<Neuron | null>({ layer: 'conv3', channel: 5, y: 0, x: 13 });

  const topResult = useMemo(() => syntheticTopActivating(CHANNELS), []);
  const topReplay = useReplay(1000, 4000);

  const bank = useMemo(() => syntheticFilterBank(), []);
  const [normalization, setNormalization] = useState<TileNormalization>('per-filter');
  const [ordered, setOrdered] = useState(false);
  const [selected, setSelected] = useState<number | undefined>(2);
  const tiles = useMemo(() => filterTiles(bank, normalization), [bank, normalization]);
  const preferred = useMemo(() => preferredTiles(bank), [bank]);
  const similarity = useMemo(() => similarityOf(bank), [bank]);

  const map = useMemo(() => syntheticOcclusionMap(), []);
  const [probe, setProbe] = useState<{ y: number; x: number } | null>({ y: 22, x: 34 });
  const occlusionReplay = useReplay(map.rows * map.cols, 3000);
  const [smooth, setSmooth] = useState(false);

  return (
    <main className="mx-auto max-w-7xl space-y-8 px-6 py-10">
      <header className="space-y-2">
        <p className="text-sm font-semibold uppercase tracking-wide text-amber-700">
          Developer gallery · synthetic data
        </p>
        <h1 className="text-3xl font-bold">Visualization components</h1>
        <p className="max-w-3xl text-slate-600">
          Each view with made-up data: a {SIDE}×{SIDE} gradient image, a small invented CNN, planted
          near-duplicate filters and a synthetic occlusion map. Nothing here comes from a trained model.
        </p>
        <label className="flex items-center gap-2 text-sm font-medium">
          <input
            type="checkbox"
            checked={readOnly}
            onChange={(e) => setReadOnly(e.target.checked)}
            className="h-4 w-4"
          />
          Read-only (student view: no callbacks)
        </label>
      </header>

      <Demo id="shared" title="ProgressBar and ResultSourceBadge">
        <div className="flex max-w-xl flex-col gap-3">
          <ProgressBar done={312} total={1000} unit="images" />
          <ProgressBar done={4200} unit="images" label="Images scanned (total unknown)" />
          <div className="flex gap-2">
            <ResultSourceBadge source="server (wasm)" />
            <ResultSourceBadge source="your browser (webgl)" />
          </div>
        </div>
      </Demo>

      <Demo id="receptive-field" title="ReceptiveFieldView">
        <ReceptiveFieldView
          image={image}
          layers={LAYERS}
          fields={FIELDS}
          layer={layer}
          neuron={neuron}
          onPickLayer={readOnly ? undefined : setLayer}
          onPickNeuron={readOnly ? undefined : setNeuron}
        />
      </Demo>

      <Demo id="top-activating" title="TopActivatingView">
        <button
          type="button"
          onClick={topReplay.start}
          className="mb-4 rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700"
        >
          Replay a scan
        </button>
        <TopActivatingView
          result={topReplay.progress ? null : topResult}
          progress={topReplay.progress}
          imageUrl={syntheticImageUrl}
          inputSize={{ height: SIDE, width: SIDE }}
          channels={CHANNELS}
          labelOf={(id) => `synthetic ${id}`}
        />
      </Demo>

      <Demo id="filters" title="FiltersView">
        <FiltersView
          layer={bank.layer}
          tiles={tiles}
          similarity={similarity}
          preferred={preferred}
          normalization={normalization}
          onNormalization={readOnly ? undefined : setNormalization}
          ordered={ordered}
          onOrdered={readOnly ? undefined : setOrdered}
          selected={selected}
          onSelectFilter={readOnly ? undefined : setSelected}
        />
      </Demo>

      <Demo id="occlusion" title="OcclusionView">
        <div className="mb-4 flex flex-wrap items-center gap-4">
          <button
            type="button"
            onClick={occlusionReplay.start}
            className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700"
          >
            Replay a computation
          </button>
          <label className="flex items-center gap-2 text-sm font-medium">
            <input
              type="checkbox"
              checked={smooth}
              onChange={(e) => setSmooth(e.target.checked)}
              className="h-4 w-4"
            />
            Smooth heatmap
          </label>
        </div>
        <OcclusionView
          image={image}
          map={occlusionReplay.progress ? null : map}
          classLabel="disc"
          probe={probe}
          probeProb={probe ? probeProbability(map, probe) : null}
          patch={map.patch}
          onProbe={readOnly ? undefined : setProbe}
          progress={occlusionReplay.progress}
          source="your browser (synthetic)"
          smooth={smooth}
        />
      </Demo>
    </main>
  );
}

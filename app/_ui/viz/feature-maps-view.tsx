'use client';

import { useMemo, useState } from 'react';
import type { LayerInfo, LayerReceptiveField } from '@/lib/models/types';
import type { Neuron } from '@/lib/protocol/primitives';
import type { FeatureMaps } from '@/lib/protocol/results';
import type { PixelImage } from '@/lib/viz';
import { formatActivation } from './activation-thumbnail';
import { FeatureMapCanvas } from './feature-map-canvas';
import { channelArgmax, channelPeaks, channelTile, strongestFirst } from './feature-map-tiles';
import { fitScale, type Size } from './geometry';
import { ReceptiveFieldCanvas } from './receptive-field-canvas';
import { outputGrid } from './receptive-field-geometry';
import { TileCanvas } from './tile-canvas';
import { TileSizeSlider } from './tile-size-slider';
import { Zoomable } from './zoomable';

/** Maps drawn before "show all": hundreds of canvases at once would stall a classroom laptop. */
const FIRST_SHOWN = 64;

export interface FeatureMapsViewProps {
  maps: FeatureMaps;
  layer: LayerInfo;
  field: LayerReceptiveField | null;
  image: PixelImage | null;
  inputSize: Size;
  neuron: Neuron | null;
  /** Absent: read-only (students following). */
  onPickNeuron?: (neuron: Neuron) => void;
}

/**
 * Every channel's map of one layer for the current image, strongest first; the picked channel large, with
 * the picked neuron outlined and its receptive field on the image beside it.
 */
export function FeatureMapsView({
  maps,
  layer,
  field,
  image,
  inputSize,
  neuron,
  onPickNeuron,
}: FeatureMapsViewProps) {
  const [tileSize, setTileSize] = useState(96);
  const [showAll, setShowAll] = useState(false);
  const peaks = useMemo(() => channelPeaks(maps), [maps]);
  const order = useMemo(() => strongestFirst(peaks), [peaks]);
  const mine = neuron && neuron.layer === layer.name && neuron.channel < maps.channels ? neuron : null;
  const channel = mine?.channel ?? order[0] ?? 0;
  const position = mine
    ? { y: Math.min(mine.y, maps.height - 1), x: Math.min(mine.x, maps.width - 1) }
    : null;
  const shown = showAll ? order : order.slice(0, FIRST_SHOWN);
  const pickChannel =
    onPickNeuron &&
    ((c: number) => onPickNeuron({ layer: layer.name, channel: c, ...channelArgmax(maps, c) }));
  const pickPosition =
    onPickNeuron && ((p: { y: number; x: number }) => onPickNeuron({ layer: layer.name, channel, ...p }));
  const rfScale = fitScale(inputSize, 240);

  return (
    <section data-testid="feature-maps-view" aria-label="Feature maps" className="space-y-5">
      <div className="flex flex-wrap items-start gap-6">
        <figure className="space-y-2">
          <FeatureMapCanvas
            maps={maps}
            channel={channel}
            position={position}
            size={320}
            label={`Channel ${channel} of ${layer.name}, ${maps.height}×${maps.width}${
              pickPosition ? '. Click or use the arrow keys to pick a neuron.' : ''
            }`}
            onPick={pickPosition}
          />
          <figcaption className="text-lg">
            Channel <span className="font-semibold tabular-nums">{channel}</span>{' '}
            <span className="text-slate-700">
              · peak {formatActivation(peaks[channel] ?? 0)} · {maps.height}×{maps.width}
            </span>
          </figcaption>
        </figure>
        {field && (
          <figure className="space-y-2">
            <ReceptiveFieldCanvas
              image={image}
              inputSize={inputSize}
              field={field}
              grid={outputGrid(layer)}
              position={position}
              scale={rfScale}
              margin={8}
              label={
                position
                  ? `Input image with the receptive field of neuron (${position.y}, ${position.x})`
                  : 'Input image'
              }
            />
            <figcaption className="text-lg text-slate-800">
              {position
                ? `Neuron (${position.y}, ${position.x}) sees ${field.size[0]}×${field.size[1]} px`
                : 'Pick a neuron on the map to see what it sees'}
            </figcaption>
          </figure>
        )}
      </div>
      <div className="flex flex-wrap items-center gap-4">
        <h3 className="text-lg font-semibold">
          {maps.channels} channels, strongest first{onPickNeuron ? ': click one to pick it' : ''}
        </h3>
        <TileSizeSlider value={tileSize} onChange={setTileSize} min={48} max={224} />
        {order.length > FIRST_SHOWN && (
          <button
            type="button"
            onClick={() => setShowAll((all) => !all)}
            className="rounded-md border border-slate-300 px-3 py-1 text-sm font-medium hover:bg-slate-50"
          >
            {showAll ? `Show the first ${FIRST_SHOWN}` : `Show all ${order.length}`}
          </button>
        )}
      </div>
      <ol
        data-testid="feature-map-grid"
        className="grid gap-2"
        style={{ gridTemplateColumns: `repeat(auto-fill, minmax(${tileSize + 8}px, 1fr))` }}
      >
        {shown.map((c) => (
          <li key={c} data-channel={c} className="flex min-w-0 flex-col items-center">
            <ChannelTile
              maps={maps}
              channel={c}
              size={tileSize}
              selected={c === channel}
              label={`Channel ${c} of ${layer.name}`}
              onPick={pickChannel ? () => pickChannel(c) : undefined}
            />
            <span className="text-sm tabular-nums text-slate-700">
              {c} · {formatActivation(peaks[c])}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

function ChannelTile({
  maps,
  channel,
  size,
  selected,
  label,
  onPick,
}: {
  maps: FeatureMaps;
  channel: number;
  size: number;
  selected: boolean;
  label: string;
  onPick?: () => void;
}) {
  const tile = useMemo(() => channelTile(maps, channel), [maps, channel]);
  const ring = selected ? 'ring-4 ring-cyan-500' : 'ring-1 ring-slate-300';
  const body = (
    <span className={`block rounded-sm ${ring}`}>
      <TileCanvas tile={tile} size={size} label={label} />
    </span>
  );
  if (onPick) {
    return (
      <button
        type="button"
        aria-pressed={selected}
        aria-label={label}
        onClick={onPick}
        className="rounded p-0.5 hover:bg-indigo-50 focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        {body}
      </button>
    );
  }
  return (
    <Zoomable label={label} large={() => <TileCanvas tile={tile} size={512} label={label} />}>
      {body}
    </Zoomable>
  );
}

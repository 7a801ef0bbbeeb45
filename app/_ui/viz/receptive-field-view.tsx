'use client';

import { useMemo } from 'react';
import type { Box, LayerInfo, LayerReceptiveField } from '@/lib/models/types';
import type { Neuron } from '@/lib/protocol/primitives';
import type { PixelImage } from '@/lib/viz';
import { fitScale } from './geometry';
import { LayerTable } from './layer-table';
import { ReceptiveFieldCanvas } from './receptive-field-canvas';
import { channelCount, inputSizeOf, maxOverhang, neuronBoxes, outputGrid } from './receptive-field-geometry';

export interface ReceptiveFieldViewProps {
  /** The input image at the model's input size. */
  image: PixelImage | null;
  layers: LayerInfo[];
  fields: Map<string, LayerReceptiveField>;
  layer: string | null;
  neuron: Neuron | null;
  /** Absent: read-only (students follow the instructor). */
  onPickLayer?: (name: string) => void;
  onPickNeuron?: (neuron: Neuron) => void;
  /** Longer side of the drawn image in screen pixels. */
  displaySize?: number;
}

function span(a: number, b: number): string {
  return `[${a}, ${b})`;
}

function BoxCoordinates({ title, box }: { title: string; box: Box }) {
  return (
    <div>
      <dt className="text-sm text-slate-500">{title}</dt>
      <dd className="font-mono text-lg tabular-nums">
        y {span(box[0], box[2])} · x {span(box[1], box[3])}
      </dd>
    </div>
  );
}

export function ReceptiveFieldView({
  image,
  layers,
  fields,
  layer,
  neuron,
  onPickLayer,
  onPickNeuron,
  displaySize = 384,
}: ReceptiveFieldViewProps) {
  const inputSize = useMemo(
    () =>
      image ? { height: image.height, width: image.width } : (inputSizeOf(layers) ?? { height: 1, width: 1 }),
    [image, layers],
  );
  const scale = fitScale(inputSize, displaySize);
  // One margin per model, so the image stays put when the layer changes; capped so huge fields do not shrink it.
  const margin = useMemo(() => {
    const overhang = Math.min(
      maxOverhang(layers, fields, inputSize),
      Math.max(inputSize.height, inputSize.width) / 6,
    );
    return Math.max(8, Math.ceil(overhang * scale) + 4);
  }, [layers, fields, inputSize, scale]);

  const info = layers.find((l) => l.name === layer) ?? null;
  const field = layer ? (fields.get(layer) ?? null) : null;
  const grid = info ? outputGrid(info) : { rows: 1, cols: 1 };
  const shown = neuron && neuron.layer === layer ? neuron : null;
  const boxes = field && shown ? neuronBoxes(field, shown.y, shown.x, inputSize) : null;
  const position = useMemo(() => (shown ? { y: shown.y, x: shown.x } : null), [shown]);

  // Switching layers keeps the channel where the new layer has it.
  const keptChannel = Math.min(neuron?.channel ?? 0, info ? channelCount(info) - 1 : 0);
  const pickNeuron =
    onPickNeuron && layer
      ? (p: { y: number; x: number }) => onPickNeuron({ layer, channel: keptChannel, y: p.y, x: p.x })
      : undefined;

  const label = shown
    ? `Input image with the receptive field of neuron (${shown.y}, ${shown.x}) of ${layer}${
        pickNeuron ? '. Click or use the arrow keys to pick another neuron.' : ''
      }`
    : `Input image${layer ? ` with the output grid of ${layer}` : ''}`;

  return (
    <section
      data-testid="receptive-field-view"
      aria-label="Receptive fields"
      className="grid gap-6 2xl:grid-cols-[minmax(0,1fr)_auto]"
    >
      {/* Side by side only where the table keeps readable columns; stacked, the picture comes first. */}
      <div className="2xl:order-2 flex min-w-0 flex-col items-start gap-3">
        <ReceptiveFieldCanvas
          image={image}
          inputSize={inputSize}
          field={field}
          grid={grid}
          position={position}
          scale={scale}
          margin={margin}
          label={label}
          onPick={pickNeuron}
        />
        <Caption layer={layer} field={field} neuron={shown} boxes={boxes} interactive={Boolean(pickNeuron)} />
      </div>
      <div className="2xl:order-1 min-w-0">
        <LayerTable layers={layers} fields={fields} selected={layer} onPick={onPickLayer} />
      </div>
    </section>
  );
}

function Caption({
  layer,
  field,
  neuron,
  boxes,
  interactive,
}: {
  layer: string | null;
  field: LayerReceptiveField | null;
  neuron: Neuron | null;
  boxes: { box: Box; clipped: Box } | null;
  interactive: boolean;
}) {
  if (!layer || !field) {
    return (
      <p className="text-lg text-slate-600">
        {interactive ? 'Pick a layer from the table.' : 'No layer picked yet.'}
      </p>
    );
  }
  const [h, w] = field.size;
  return (
    <div aria-live="polite" className="w-full space-y-2">
      <p className="text-2xl font-semibold tabular-nums" data-testid="rf-size">
        {h} × {w} px <span className="text-base font-normal text-slate-600">receptive field of {layer}</span>
      </p>
      {neuron && boxes ? (
        <>
          <p className="text-slate-700">
            Neuron y {neuron.y}, x {neuron.x}, channel {neuron.channel}
          </p>
          <dl className="grid gap-2 sm:grid-cols-2">
            <BoxCoordinates title="Field (dashed, may reach into padding)" box={boxes.box} />
            <BoxCoordinates title="Inside the image (solid)" box={boxes.clipped} />
          </dl>
        </>
      ) : (
        <p className="text-slate-600">
          {interactive
            ? 'Click the image (or focus it and press an arrow key) to pick a neuron.'
            : 'No neuron picked yet.'}
        </p>
      )}
    </div>
  );
}

'use client';

import { useEffect, useState } from 'react';
import type { LayerInfo, LayerReceptiveField } from '@/lib/models/types';
import type { Neuron } from '@/lib/protocol/primitives';
import { sameNeuron } from '@/lib/session/reducer';
import type { PixelImage } from '@/lib/viz';
import { fitScale, type Size } from '../../viz/geometry';
import { ReceptiveFieldCanvas } from '../../viz/receptive-field-canvas';
import { outputGrid } from '../../viz/receptive-field-geometry';
import type { Dispatch } from '../dispatch';

/** Side of each pinned neuron's picture, in screen pixels. */
const CARD_SIZE = 168;

/**
 * Neurons the instructor keeps at hand, side by side: each with its receptive field on the current image,
 * so fields of different layers can be compared; a click brings one back to the view.
 */
export function PinnedNeurons({
  pinned,
  current,
  dispatch,
  image,
  inputSize,
  layers,
  fields,
}: {
  pinned: Neuron[];
  current: Neuron | null;
  dispatch?: Dispatch;
  image: PixelImage | null;
  inputSize: Size;
  layers: LayerInfo[];
  fields: Map<string, LayerReceptiveField>;
}) {
  const [note, setNote] = useState<string | null>(null);
  const isPinned = current !== null && pinned.some((n) => sameNeuron(n, current));
  useEffect(() => {
    if (!note) return;
    const timer = setTimeout(() => setNote(null), 4000);
    return () => clearTimeout(timer);
  }, [note]);
  if (pinned.length === 0 && !dispatch) return null;

  async function pin(neuron: Neuron) {
    const ack = await dispatch?.({ type: 'neuron.pin', neuron }, { inline: true });
    setNote(
      ack?.ok ? `Pinned ${label(neuron)}.` : `Could not pin: ${ack?.ok === false ? ack.error.message : ''}`,
    );
  }

  const scale = fitScale(inputSize, CARD_SIZE);
  return (
    <section className="space-y-2" aria-label="Pinned neurons">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <h3 className="text-base font-semibold text-slate-800">Pinned neurons ({pinned.length})</h3>
        {dispatch && current && (
          <button
            type="button"
            disabled={isPinned}
            onClick={() => void pin(current)}
            className="rounded-md border border-indigo-300 px-2 py-1 font-medium text-indigo-800 hover:bg-indigo-50 disabled:border-slate-300 disabled:text-slate-600"
          >
            {isPinned ? 'This neuron is pinned' : 'Pin this neuron'}
          </button>
        )}
        <span role="status" className="text-emerald-800">
          {note}
        </span>
      </div>
      {pinned.length > 0 && (
        <ul data-testid="pinned-neurons" className="flex flex-wrap gap-3">
          {pinned.map((n) => {
            const layer = layers.find((l) => l.name === n.layer);
            const field = fields.get(n.layer) ?? null;
            const active = current !== null && sameNeuron(n, current);
            return (
              <li
                key={label(n)}
                data-testid="pinned-neuron"
                className={`rounded-lg border p-2 ${active ? 'border-indigo-500 ring-2 ring-indigo-300' : 'border-slate-200'}`}
              >
                <button
                  type="button"
                  disabled={!dispatch}
                  onClick={() => dispatch?.({ type: 'neuron.set', neuron: n })}
                  aria-label={`Show ${label(n)}`}
                  className="block"
                >
                  {layer && field && (
                    <ReceptiveFieldCanvas
                      image={image}
                      inputSize={inputSize}
                      field={field}
                      grid={outputGrid(layer)}
                      position={{ y: n.y, x: n.x }}
                      scale={scale}
                      margin={4}
                      label={`Receptive field of ${label(n)}`}
                    />
                  )}
                </button>
                <div className="mt-1 flex items-center justify-between gap-2">
                  <span className="font-mono text-sm">{label(n)}</span>
                  {field && <span className="text-sm text-slate-700">{field.size[0]} px</span>}
                  {dispatch && (
                    <button
                      type="button"
                      aria-label={`Unpin ${label(n)}`}
                      onClick={() => dispatch({ type: 'neuron.unpin', neuron: n })}
                      className="rounded px-1 text-slate-600 hover:text-red-700"
                    >
                      ×
                    </button>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function label(n: Neuron): string {
  return `${n.layer}[${n.channel}] (${n.y}, ${n.x})`;
}

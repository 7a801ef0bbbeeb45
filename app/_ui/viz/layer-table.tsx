'use client';

import type { LayerInfo, LayerReceptiveField } from '@/lib/models/types';

function pair([a, b]: [number, number]): string {
  return a === b ? String(a) : `${a}×${b}`;
}

export function formatShape(shape: number[]): string {
  return shape.join('×');
}

/** The model's layers with their output shape and receptive field, one row each; a row is a button when pickable. */
export function LayerTable({
  layers,
  fields,
  selected,
  onPick,
}: {
  layers: LayerInfo[];
  fields: Map<string, LayerReceptiveField>;
  selected: string | null;
  onPick?: (name: string) => void;
}) {
  return (
    <div
      data-testid="layer-table"
      className="max-h-[32rem] min-w-0 self-start overflow-y-auto overflow-x-hidden rounded-lg border border-slate-200 bg-white"
    >
      <table className="w-full text-left text-sm tabular-nums">
        <caption className="sr-only">Layers with their receptive field size and jump in input pixels</caption>
        <thead className="sticky top-0 bg-slate-100 text-xs uppercase tracking-wide text-slate-700">
          <tr>
            <th scope="col" className="px-2 py-2">
              Layer
            </th>
            <th scope="col" className="px-2 py-2">
              Kind
            </th>
            <th scope="col" className="px-2 py-2">
              Output
            </th>
            <th scope="col" className="px-2 py-2" title="Receptive field size in input pixels">
              RF
            </th>
            <th scope="col" className="px-2 py-2" title="Input pixels between neighbouring neurons">
              Jump
            </th>
          </tr>
        </thead>
        <tbody>
          {layers.map((layer) => {
            const field = fields.get(layer.name);
            const isSelected = layer.name === selected;
            return (
              <tr
                key={layer.name}
                aria-current={isSelected ? 'true' : undefined}
                data-layer={layer.name}
                className={`border-t border-slate-100 ${isSelected ? 'bg-indigo-50 font-semibold text-indigo-900' : ''}`}
              >
                <th scope="row" className="px-2 py-1.5 font-mono font-medium [overflow-wrap:anywhere]">
                  {onPick ? (
                    <button
                      type="button"
                      onClick={() => onPick(layer.name)}
                      className="rounded px-1 text-left hover:text-indigo-700 focus-visible:outline-2 focus-visible:outline-indigo-600"
                    >
                      {layer.name}
                    </button>
                  ) : (
                    layer.name
                  )}
                </th>
                <td className="px-2 py-1.5 text-slate-700 [overflow-wrap:anywhere]">{layer.kind}</td>
                <td className="whitespace-nowrap px-2 py-1.5">{formatShape(layer.outputShape)}</td>
                <td className="whitespace-nowrap px-2 py-1.5">{field ? pair(field.size) : '–'}</td>
                <td className="whitespace-nowrap px-2 py-1.5">
                  {field ? (field.jump[0] === 0 && field.jump[1] === 0 ? 'whole' : pair(field.jump)) : '–'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

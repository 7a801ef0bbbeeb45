import type { Neuron } from '@/lib/protocol/primitives';
import { sameNeuron } from '@/lib/session/reducer';
import type { Dispatch } from '../dispatch';

/** Neurons the instructor keeps at hand; a click brings one back to the view. */
export function PinnedNeurons({
  pinned,
  current,
  dispatch,
}: {
  pinned: Neuron[];
  current: Neuron | null;
  dispatch?: Dispatch;
}) {
  const isPinned = current !== null && pinned.some((n) => sameNeuron(n, current));
  if (pinned.length === 0 && !dispatch) return null;
  return (
    <section className="flex flex-wrap items-center gap-2 text-sm" aria-label="Pinned neurons">
      {dispatch && current && !isPinned && (
        <button
          type="button"
          onClick={() => dispatch({ type: 'neuron.pin', neuron: current })}
          className="rounded-md border border-indigo-300 px-2 py-1 text-indigo-700 hover:bg-indigo-50"
        >
          Pin this neuron
        </button>
      )}
      {pinned.map((n) => (
        <span key={label(n)} className="inline-flex items-center rounded-full bg-slate-100 font-mono text-xs">
          <button
            type="button"
            disabled={!dispatch}
            onClick={() => dispatch?.({ type: 'neuron.set', neuron: n })}
            className="px-2 py-1"
          >
            {label(n)}
          </button>
          {dispatch && (
            <button
              type="button"
              aria-label={`Unpin ${label(n)}`}
              onClick={() => dispatch({ type: 'neuron.unpin', neuron: n })}
              className="pr-2 text-slate-500 hover:text-red-700"
            >
              ×
            </button>
          )}
        </span>
      ))}
    </section>
  );
}

function label(n: Neuron): string {
  return `${n.layer}[${n.channel}] (${n.y}, ${n.x})`;
}

import type { View } from '@/lib/protocol/actions';
import type { LayerInfo } from '@/lib/protocol/model';
import { layerExplanation, VIEW_EXPLANATIONS } from '@/lib/viz';

/** "What am I seeing": the view's paragraph and the chosen layer's, shown when the instructor lets it. */
export function Explanation({ view, layer }: { view: View; layer: LayerInfo | null }) {
  const aboutLayer = layer ? layerExplanation(layer) : null;
  return (
    <aside
      data-testid="explanation"
      aria-label="What am I seeing"
      className="space-y-2 rounded-lg border-l-4 border-sky-500 bg-sky-50 px-4 py-3 text-base leading-relaxed text-slate-800"
    >
      <h3 className="font-semibold text-sky-900">What am I seeing?</h3>
      <p>{VIEW_EXPLANATIONS[view]}</p>
      {aboutLayer && <p data-testid="layer-explanation">{aboutLayer}</p>}
    </aside>
  );
}

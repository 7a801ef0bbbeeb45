import { VIEWS, type View } from '@/lib/protocol/actions';

export const VIEW_LABELS: Record<View, string> = {
  'receptive-field': 'Receptive fields',
  activations: 'Feature maps',
  'top-activating': 'Neurons that fire',
  filters: 'Filters',
  occlusion: 'Occlusion',
  'feature-vis': 'What a neuron wants',
};

export function ViewTabs({
  current,
  onSelect,
}: {
  current: View;
  /** Absent for students following the instructor: the tabs only show where the class is. */
  onSelect?: (view: View) => void;
}) {
  return (
    <div role="tablist" aria-label="Views" className="flex flex-wrap gap-1 rounded-lg bg-slate-200 p-1">
      {VIEWS.map((view) => (
        <button
          key={view}
          type="button"
          role="tab"
          aria-selected={current === view}
          disabled={!onSelect}
          onClick={() => onSelect?.(view)}
          className={`rounded-md px-3 py-1.5 text-sm font-medium ${
            current === view ? 'bg-white shadow-sm' : 'text-slate-600'
          } ${onSelect ? 'hover:bg-white/70' : 'cursor-default'}`}
        >
          {VIEW_LABELS[view]}
        </button>
      ))}
    </div>
  );
}

/** Free exploration, said where the student looks: what they may change, and the way back. */
export function FreeExploreBar({
  exploring,
  onBackToClass,
}: {
  exploring: boolean;
  onBackToClass: () => void;
}) {
  return (
    <div
      data-testid="explore-bar"
      className="flex flex-wrap items-center gap-3 rounded-lg bg-amber-50 px-3 py-2 text-base text-amber-950"
    >
      <span>
        {exploring
          ? 'You are exploring on your own; nobody else sees your changes.'
          : 'Free exploration: pick another view, layer, neuron or image — only you will see it.'}
      </span>
      {exploring && (
        <button
          type="button"
          onClick={onBackToClass}
          className="ml-auto rounded-md bg-amber-700 px-3 py-1 font-medium text-white hover:bg-amber-800"
        >
          Back to the class
        </button>
      )}
    </div>
  );
}

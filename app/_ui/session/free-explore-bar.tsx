export function FreeExploreBar({
  exploring,
  onBackInStep,
}: {
  exploring: boolean;
  onBackInStep: () => void;
}) {
  return (
    <div className="flex items-center gap-3 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900">
      <span>
        {exploring
          ? 'You are exploring on your own; nobody else sees your changes.'
          : 'Free exploration: change the view, layer or image — only you will see it.'}
      </span>
      {exploring && (
        <button
          type="button"
          onClick={onBackInStep}
          className="ml-auto rounded bg-amber-600 px-3 py-1 font-medium text-white"
        >
          Back in step
        </button>
      )}
    </div>
  );
}

import { type Refusal, refusalText } from './dispatch';

/** What the server (or this screen) refused, most recent last, each dismissible. */
export function RefusalNotices({
  refusals,
  onDismiss,
}: {
  refusals: Refusal[];
  onDismiss: (id: number) => void;
}) {
  return (
    <div aria-live="assertive" data-testid="refusals" className="space-y-2 empty:hidden">
      {refusals.map((refusal) => (
        <p
          key={refusal.id}
          role="alert"
          data-testid="refusal"
          data-code={refusal.error.code}
          className="flex items-start gap-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-900"
        >
          <span className="flex-1">{refusalText(refusal)}</span>
          <button
            type="button"
            onClick={() => onDismiss(refusal.id)}
            aria-label="Dismiss"
            className="rounded px-1 font-semibold text-red-900 hover:bg-red-100"
          >
            ×
          </button>
        </p>
      ))}
    </div>
  );
}

import type { ReactNode } from 'react';

/** The send button with what the server has of this answer, and its refusal if any. */
export function SubmitRow({
  label,
  disabled,
  onSubmit,
  extra,
  status,
  error,
}: {
  label: string;
  disabled: boolean;
  onSubmit: () => void;
  extra?: ReactNode;
  status: string;
  error?: string;
}) {
  return (
    <div className="flex flex-wrap items-center gap-3">
      <button
        type="button"
        data-testid="exercise-submit"
        disabled={disabled}
        onClick={onSubmit}
        className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:bg-slate-300"
      >
        {label}
      </button>
      {extra}
      <span data-testid="exercise-saved" className="text-sm text-slate-600" aria-live="polite">
        {status}
      </span>
      {error && (
        <span role="alert" className="text-sm text-red-700">
          {error}
        </span>
      )}
    </div>
  );
}

'use client';

import { type ChangeEvent, type ReactNode, useId, useState } from 'react';

export type UploadOutcome = { ok: true; done: string } | { ok: false; error: string };

/**
 * A file input that shows its own progress, result and errors right beside itself, so two uploaders in one
 * panel never report each other's problems.
 */
export function UploadField({
  label,
  accept,
  multiple = false,
  testId,
  onFiles,
}: {
  label: ReactNode;
  accept: string;
  multiple?: boolean;
  testId: string;
  /** Sends the files; says what was done, or what went wrong in words a person can act on. */
  onFiles: (files: File[]) => Promise<UploadOutcome>;
}) {
  const id = useId();
  const [state, setState] = useState<
    { kind: 'idle' } | { kind: 'busy' } | { kind: 'done'; text: string } | { kind: 'error'; text: string }
  >({ kind: 'idle' });

  async function change(event: ChangeEvent<HTMLInputElement>) {
    const files = [...(event.target.files ?? [])];
    event.target.value = '';
    if (files.length === 0) return;
    setState({ kind: 'busy' });
    const outcome = await onFiles(files).catch(
      (error: Error): UploadOutcome => ({
        ok: false,
        error: `the upload did not reach the server: ${error.message}`,
      }),
    );
    setState(outcome.ok ? { kind: 'done', text: outcome.done } : { kind: 'error', text: outcome.error });
  }

  return (
    <div data-testid={testId} data-state={state.kind} className="space-y-1">
      <label htmlFor={id} className="block text-slate-600">
        {label}
      </label>
      <input
        id={id}
        type="file"
        multiple={multiple}
        accept={accept}
        disabled={state.kind === 'busy'}
        aria-describedby={state.kind === 'idle' ? undefined : `${id}-status`}
        onChange={change}
        className="block w-full text-xs"
      />
      {state.kind === 'busy' && (
        <p id={`${id}-status`} className="text-slate-600">
          Uploading…
        </p>
      )}
      {state.kind === 'done' && (
        <p id={`${id}-status`} role="status" className="text-emerald-800">
          {state.text}
        </p>
      )}
      {state.kind === 'error' && (
        <p id={`${id}-status`} role="alert" data-testid={`${testId}-error`} className="text-red-700">
          {state.text}
        </p>
      )}
    </div>
  );
}

/** The server's message from an error body, or the status. */
export async function errorMessage(res: Response, what: string): Promise<string> {
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message ?? `${what} failed (HTTP ${res.status})`;
}

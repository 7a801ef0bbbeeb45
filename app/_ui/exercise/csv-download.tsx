'use client';

import { useState } from 'react';
import { loadCredentials } from '../session/credentials';

/** Downloads every exercise's results; the export needs the instructor key, sent as a header. */
export function CsvDownload({ joinCode }: { joinCode: string }) {
  const [error, setError] = useState<string | null>(null);

  async function download() {
    setError(null);
    const key = loadCredentials(joinCode).instructorKey ?? '';
    const res = await fetch(`/api/sessions/${joinCode}/exercises.csv`, {
      headers: { authorization: `Bearer ${key}` },
    });
    if (!res.ok) {
      const body = await res.json().catch(() => null);
      setError(body?.error?.message ?? `the export failed (${res.status})`);
      return;
    }
    const url = URL.createObjectURL(await res.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = `convlens-${joinCode}-exercises.csv`;
    link.click();
    URL.revokeObjectURL(url);
  }

  return (
    <div>
      <button
        type="button"
        data-testid="exercise-csv"
        onClick={() => void download()}
        className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-medium hover:bg-slate-50"
      >
        Download results (CSV)
      </button>
      {error && (
        <p role="alert" className="mt-1 text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

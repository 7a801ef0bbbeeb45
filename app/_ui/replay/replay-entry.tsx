'use client';

import { useEffect, useMemo, useState } from 'react';
import type { HttpErrorBody } from '@/lib/protocol/http';
import type { ReplayLog } from '@/lib/protocol/replay';
import { loadCredentials } from '../session/credentials';
import { ReplayPlayer } from './replay-player';

/** Opens a recording with the share link's token, or the instructor key this browser holds. */
export function ReplayEntry({ joinCode }: { joinCode: string }) {
  const [log, setLog] = useState<ReplayLog | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [headers, setHeaders] = useState<Record<string, string> | null>(null);

  useEffect(() => {
    const share = new URLSearchParams(location.search).get('share');
    const key = loadCredentials(joinCode).instructorKey;
    setHeaders(share ? { 'x-share-token': share } : key ? { authorization: `Bearer ${key}` } : {});
  }, [joinCode]);

  useEffect(() => {
    if (!headers) return;
    fetch(`/api/replays/${joinCode}`, { headers })
      .then(async (res) => {
        if (!res.ok) throw new Error(((await res.json()) as HttpErrorBody).error.message);
        setLog((await res.json()) as ReplayLog);
      })
      .catch((e: Error) => setError(e.message));
  }, [joinCode, headers]);

  const stableHeaders = useMemo(() => headers ?? {}, [headers]);
  if (error) {
    return (
      <main className="mx-auto max-w-xl px-6 py-16">
        <h1 className="text-xl font-semibold">Replay of {joinCode}</h1>
        <p role="alert" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-red-800">
          {error}
        </p>
      </main>
    );
  }
  if (!log) return <main className="mx-auto max-w-xl px-6 py-16 text-slate-600">Loading the recording…</main>;
  return <ReplayPlayer log={log} headers={stableHeaders} />;
}

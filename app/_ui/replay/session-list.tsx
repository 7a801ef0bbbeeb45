'use client';

import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import type { SessionListing } from '@/lib/protocol/replay';
import { instructorSessions, loadCredentials } from '../session/credentials';
import { ImportSession } from './import-session';
import { ShareLinks } from './share-links';
import { formatTime } from './timeline';

/** The sessions this browser taught, with their replays, share links and exports. */
export function SessionList() {
  const [sessions, setSessions] = useState<SessionListing[] | null>(null);

  const reload = useCallback(() => {
    fetch('/api/sessions/listings', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessions: instructorSessions().slice(0, 200) }),
    })
      .then((res) => res.json())
      .then((body: { sessions: SessionListing[] }) => setSessions(body.sessions))
      .catch(() => setSessions([]));
  }, []);
  useEffect(reload, [reload]);

  async function download(joinCode: string) {
    const key = loadCredentials(joinCode).instructorKey ?? '';
    const res = await fetch(`/api/sessions/${joinCode}/export`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const url = URL.createObjectURL(await res.blob());
    const a = Object.assign(document.createElement('a'), {
      href: url,
      download: `convlens-${joinCode}.json`,
    });
    a.click();
    URL.revokeObjectURL(url);
  }

  return (
    <div className="space-y-8">
      {sessions === null && <p className="text-slate-600">Loading…</p>}
      {sessions?.length === 0 && <p className="text-slate-600">This browser has not taught a session yet.</p>}
      {sessions && sessions.length > 0 && (
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th className="py-2">Session</th>
              <th>Date</th>
              <th>Duration</th>
              <th>Students</th>
              <th>Exercises</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.joinCode} data-testid="session-row" className="border-t align-top">
                <td className="py-2">
                  <div className="font-medium">{s.title}</div>
                  <div className="font-mono text-xs text-slate-500">
                    {s.joinCode} · {s.modelId}
                  </div>
                </td>
                <td>{new Date(s.createdAt).toLocaleString()}</td>
                <td>{formatTime(s.durationSeconds * 1000)}</td>
                <td>{s.students}</td>
                <td>{s.exercises}</td>
                <td className="space-y-1 py-2">
                  <div className="flex gap-3">
                    <Link href={`/replay/${s.joinCode}`} className="text-indigo-700 underline">
                      Replay
                    </Link>
                    <Link href={`/s/${s.joinCode}/instructor`} className="text-indigo-700 underline">
                      Console
                    </Link>
                    <button
                      type="button"
                      onClick={() => download(s.joinCode)}
                      className="text-indigo-700 underline"
                    >
                      Export
                    </button>
                  </div>
                  <ShareLinks joinCode={s.joinCode} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ImportSession onImported={reload} />
    </div>
  );
}

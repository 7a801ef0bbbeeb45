'use client';

import { type FormEvent, useEffect, useState } from 'react';
import { loadCredentials, saveCredentials } from './credentials';
import { SessionScreen } from './session-screen';

/** The instructor key opens the console; on another device it can be typed in to take over. */
export function InstructorEntry({ joinCode }: { joinCode: string }) {
  const [ready, setReady] = useState<boolean | null>(null);
  const [key, setKey] = useState('');

  useEffect(() => setReady(Boolean(loadCredentials(joinCode).instructorKey)), [joinCode]);

  function submit(event: FormEvent) {
    event.preventDefault();
    saveCredentials(joinCode, { instructorKey: key.trim(), participantId: undefined });
    setReady(true);
  }

  if (ready === null) return null;
  if (ready) return <SessionScreen joinCode={joinCode} />;
  return (
    <main className="mx-auto max-w-md px-6 py-16">
      <form onSubmit={submit} className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <h1 className="text-xl font-semibold">Take over session {joinCode}</h1>
        <p className="mt-2 text-sm text-slate-600">
          Paste the instructor key shown when the session was created.
        </p>
        <input
          aria-label="Instructor key"
          value={key}
          onChange={(e) => setKey(e.target.value)}
          className="mt-4 w-full rounded-md border border-slate-300 px-3 py-2 font-mono"
        />
        <button type="submit" className="mt-4 rounded-md bg-indigo-600 px-4 py-2 font-medium text-white">
          Open console
        </button>
      </form>
    </main>
  );
}

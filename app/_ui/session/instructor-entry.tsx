'use client';

import { type FormEvent, useEffect, useState } from 'react';
import type { ProtocolError } from '@/lib/protocol/socket';
import { takeKeyFromFragment } from './console-link';
import { loadCredentials, saveCredentials } from './credentials';
import { SessionScreen } from './session-screen';

/**
 * The instructor key opens the console. On another device it arrives in the
 * link's fragment (from "Copy link for another device") or is pasted here.
 */
export function InstructorEntry({ joinCode }: { joinCode: string }) {
  const [ready, setReady] = useState<boolean | null>(null);
  const [key, setKey] = useState('');
  const [refused, setRefused] = useState<string | null>(null);

  useEffect(() => {
    const fromLink = takeKeyFromFragment();
    if (fromLink) saveCredentials(joinCode, { instructorKey: fromLink, participantId: undefined });
    setReady(Boolean(fromLink ?? loadCredentials(joinCode).instructorKey));
  }, [joinCode]);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!key.trim()) return setRefused('Paste the key first.');
    saveCredentials(joinCode, { instructorKey: key.trim(), participantId: undefined });
    setRefused(null);
    setReady(true);
  }

  function joinFailed(error: ProtocolError) {
    if (error.code === 'forbidden' || error.code === 'bad-request') {
      saveCredentials(joinCode, { instructorKey: undefined });
      setRefused('That key does not open this session. Check it and paste it again.');
      setReady(false);
    } else if (error.code === 'not-found') {
      setRefused(`No session has the code ${joinCode}.`);
      setReady(false);
    }
  }

  if (ready === null) return null;
  if (ready) return <SessionScreen joinCode={joinCode} onJoinFailed={joinFailed} />;
  return (
    <main className="mx-auto max-w-md px-6 py-16">
      <form onSubmit={submit} className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <h1 className="text-xl font-semibold">Drive session {joinCode} from this device</h1>
        <p className="mt-2 text-sm text-slate-600">
          On the device that created the session, use “Copy link for another device” and open that link here.
          Or paste the instructor key itself:
        </p>
        <label className="mt-4 block text-sm font-medium text-slate-700" htmlFor="instructor-key">
          Instructor key
        </label>
        <input
          id="instructor-key"
          type="password"
          autoComplete="off"
          value={key}
          onChange={(e) => setKey(e.target.value)}
          className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 font-mono"
        />
        {refused && (
          <p role="alert" className="mt-2 text-sm text-red-700">
            {refused}
          </p>
        )}
        <button type="submit" className="mt-4 rounded-md bg-indigo-600 px-4 py-2 font-medium text-white">
          Open console
        </button>
      </form>
    </main>
  );
}

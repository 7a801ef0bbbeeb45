'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useEffect, useState } from 'react';
import { displayNameSchema, joinCodeSchema } from '@/lib/protocol/primitives';
import type { ProtocolError } from '@/lib/protocol/socket';
import { FormError, TextField } from '../forms/text-field';
import { loadCredentials, saveCredentials } from './credentials';
import { SessionScreen } from './session-screen';

/**
 * A student arriving by link has no name yet: ask for one, then connect. A
 * code that opens no session brings the form back with the code to correct.
 */
export function StudentEntry({ joinCode }: { joinCode: string }) {
  const router = useRouter();
  const [ready, setReady] = useState<boolean | null>(null);
  const [code, setCode] = useState(joinCode);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const stored = loadCredentials(joinCode).name;
    if (stored) setName(stored);
    setReady(Boolean(stored));
  }, [joinCode]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsedCode = joinCodeSchema.safeParse(code);
    const parsedName = displayNameSchema.safeParse(name);
    if (!parsedCode.success) return setError(parsedCode.error.issues[0].message);
    if (!parsedName.success) return setError(`Name: ${parsedName.error.issues[0].message}`);
    saveCredentials(parsedCode.data, { name: parsedName.data });
    setError(null);
    if (parsedCode.data !== joinCode) router.replace(`/s/${parsedCode.data}`);
    else setReady(true);
  }

  function joinFailed(failure: ProtocolError) {
    if (failure.code === 'not-found') {
      setError(`No session has the code ${joinCode}. Check the code on the screen and try again.`);
    } else if (failure.code === 'bad-request') {
      setError(failure.message);
    } else {
      return;
    }
    saveCredentials(joinCode, { participantId: undefined });
    setReady(false);
  }

  if (ready === null) return null;
  if (ready) return <SessionScreen joinCode={joinCode} onJoinFailed={joinFailed} />;
  return (
    <main className="mx-auto max-w-md px-6 py-16">
      <form
        onSubmit={submit}
        data-testid="join-form"
        className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
      >
        <h1 className="text-xl font-semibold">Join a session</h1>
        <TextField
          id="code"
          label="Join code"
          value={code}
          onChange={(e) => setCode(e.target.value.toUpperCase())}
          maxLength={6}
          autoComplete="off"
          className="font-mono text-lg tracking-widest uppercase"
        />
        <TextField
          id="name"
          label="Your name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={40}
        />
        <FormError message={error} />
        <button type="submit" className="mt-4 rounded-md bg-slate-900 px-4 py-2 font-medium text-white">
          Join
        </button>
      </form>
    </main>
  );
}

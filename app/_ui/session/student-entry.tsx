'use client';

import { type FormEvent, useEffect, useState } from 'react';
import { displayNameSchema } from '@/lib/protocol/primitives';
import { FormError, TextField } from '../forms/text-field';
import { loadCredentials, saveCredentials } from './credentials';
import { SessionScreen } from './session-screen';

/** A student arriving by link has no name yet: ask for one, then connect. */
export function StudentEntry({ joinCode }: { joinCode: string }) {
  const [ready, setReady] = useState<boolean | null>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => setReady(Boolean(loadCredentials(joinCode).name)), [joinCode]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = displayNameSchema.safeParse(name);
    if (!parsed.success) return setError(parsed.error.issues[0].message);
    saveCredentials(joinCode, { name: parsed.data });
    setReady(true);
  }

  if (ready === null) return null;
  if (ready) return <SessionScreen joinCode={joinCode} />;
  return (
    <main className="mx-auto max-w-md px-6 py-16">
      <form onSubmit={submit} className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <h1 className="text-xl font-semibold">Join session {joinCode}</h1>
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

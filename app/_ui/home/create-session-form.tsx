'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import type { CreateSessionResult, HttpErrorBody } from '@/lib/protocol/http';
import { FormError, TextField } from '../forms/text-field';
import { markKeyFresh } from '../session/console-link';
import { saveCredentials } from '../session/credentials';

export function CreateSessionForm() {
  const router = useRouter();
  const [title, setTitle] = useState('What does a CNN see?');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/api/sessions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title }),
      });
      if (!res.ok) {
        const body = (await res.json()) as HttpErrorBody;
        throw new Error(Object.values(body.error.fields ?? {})[0]?.[0] ?? body.error.message);
      }
      const created = (await res.json()) as CreateSessionResult;
      saveCredentials(created.joinCode, { instructorKey: created.instructorKey });
      markKeyFresh(created.joinCode);
      router.push(`/s/${created.joinCode}/instructor`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
      <h2 className="text-xl font-semibold">Teach a session</h2>
      <TextField
        id="title"
        label="Title"
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        maxLength={120}
      />
      <FormError message={error} />
      <button
        type="submit"
        disabled={busy}
        className="mt-4 rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-50"
      >
        {busy ? 'Creating…' : 'Create session'}
      </button>
    </form>
  );
}

'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { displayNameSchema, joinCodeSchema } from '@/lib/protocol/primitives';
import { FormError, TextField } from '../forms/text-field';
import { saveCredentials } from '../session/credentials';

export function JoinSessionForm() {
  const router = useRouter();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsedCode = joinCodeSchema.safeParse(code);
    const parsedName = displayNameSchema.safeParse(name);
    if (!parsedCode.success) return setError(parsedCode.error.issues[0].message);
    if (!parsedName.success) return setError(`Name: ${parsedName.error.issues[0].message}`);
    saveCredentials(parsedCode.data, { name: parsedName.data });
    router.push(`/s/${parsedCode.data}`);
  }

  return (
    <form onSubmit={submit} className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
      <h2 className="text-xl font-semibold">Join a session</h2>
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
      <button
        type="submit"
        className="mt-4 rounded-md bg-slate-900 px-4 py-2 font-medium text-white hover:bg-slate-700"
      >
        Join
      </button>
    </form>
  );
}

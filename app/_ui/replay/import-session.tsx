'use client';

import { type ChangeEvent, useState } from 'react';
import type { CreateSessionResult, HttpErrorBody } from '@/lib/protocol/http';
import { saveCredentials } from '../session/credentials';

/** Loads a session file exported from any ConvLens server; names what this server lacks. */
export function ImportSession({ onImported }: { onImported: () => void }) {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function load(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    const res = await fetch('/api/sessions/import', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: await file.text(),
    });
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as HttpErrorBody | null;
      return setMessage({ ok: false, text: body?.error.message ?? `import failed (${res.status})` });
    }
    const created = (await res.json()) as CreateSessionResult;
    saveCredentials(created.joinCode, { instructorKey: created.instructorKey });
    setMessage({ ok: true, text: `Imported as ${created.joinCode}.` });
    onImported();
  }

  return (
    <section className="rounded-xl border border-slate-200 bg-white p-4">
      <h2 className="font-semibold">Import a session</h2>
      <p className="text-sm text-slate-600">
        A file exported from a ConvLens server (events plus its models and images by hash).
      </p>
      <input
        type="file"
        accept="application/json,.json"
        aria-label="Session file"
        onChange={load}
        className="mt-2 text-sm"
      />
      {message && (
        <p
          role={message.ok ? 'status' : 'alert'}
          className={`mt-2 text-sm ${message.ok ? 'text-emerald-700' : 'text-red-700'}`}
        >
          {message.text}
        </p>
      )}
    </section>
  );
}

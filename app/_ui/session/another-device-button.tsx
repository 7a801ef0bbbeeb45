'use client';

import { useState } from 'react';
import { consoleLink, copyText } from './console-link';
import { loadCredentials } from './credentials';

/** Copies the link that opens this console on another device; the key itself is never put on screen. */
export function AnotherDeviceButton({ joinCode }: { joinCode: string }) {
  const [note, setNote] = useState<string | null>(null);
  async function copy() {
    const key = loadCredentials(joinCode).instructorKey;
    if (!key) return setNote('This browser does not hold the key.');
    const ok = await copyText(consoleLink(location.origin, joinCode, key));
    setNote(ok ? 'Copied. Open it on the other device; anyone with it can drive.' : 'Copying was refused.');
  }
  return (
    <div>
      <button
        type="button"
        onClick={() => void copy()}
        className="w-full rounded-md border border-slate-300 px-3 py-1.5 text-left font-medium hover:bg-slate-50"
      >
        Copy link to drive from another device
      </button>
      {note && (
        <p role="status" className="mt-1 text-slate-700">
          {note}
        </p>
      )}
    </div>
  );
}

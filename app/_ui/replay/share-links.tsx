'use client';

import { useEffect, useState } from 'react';
import type { ReplayShare } from '@/lib/protocol/replay';
import { loadCredentials } from '../session/credentials';

/** Links that open a replay without the instructor key; revoking one closes it for good. */
export function ShareLinks({ joinCode }: { joinCode: string }) {
  const [shares, setShares] = useState<ReplayShare[]>([]);
  const auth = () => ({ authorization: `Bearer ${loadCredentials(joinCode).instructorKey ?? ''}` });

  // biome-ignore lint/correctness/useExhaustiveDependencies: auth reads the stored key for this code
  useEffect(() => {
    fetch(`/api/sessions/${joinCode}/shares`, { headers: auth() })
      .then((res) => res.json())
      .then((body: { shares?: ReplayShare[] }) => setShares(body.shares ?? []))
      .catch(() => undefined);
  }, [joinCode]);

  async function create() {
    const res = await fetch(`/api/sessions/${joinCode}/shares`, { method: 'POST', headers: auth() });
    if (res.ok) setShares([...shares, (await res.json()) as ReplayShare]);
  }

  async function revoke(token: string) {
    const res = await fetch(`/api/sessions/${joinCode}/shares/${token}`, {
      method: 'DELETE',
      headers: auth(),
    });
    if (res.ok)
      setShares(shares.map((s) => (s.token === token ? { ...s, revokedAt: new Date().toISOString() } : s)));
  }

  const active = shares.filter((s) => !s.revokedAt);
  return (
    <div className="space-y-1">
      {active.map((s) => {
        const url = `${location.origin}/replay/${joinCode}?share=${s.token}`;
        return (
          <div key={s.token} className="flex items-center gap-2">
            <input
              readOnly
              value={url}
              aria-label="Share link"
              className="w-56 rounded border px-1 font-mono text-xs"
            />
            <button type="button" onClick={() => revoke(s.token)} className="text-xs text-red-700 underline">
              Revoke
            </button>
          </div>
        );
      })}
      <button type="button" onClick={create} className="text-xs text-indigo-700 underline">
        New share link
      </button>
    </div>
  );
}

'use client';

import { useEffect, useState } from 'react';
import { LinkQr } from '../session/link-qr';

/** The join code in letters a back row can read, and a QR code of the join link. */
export function JoinBanner({ joinCode }: { joinCode: string }) {
  const [link, setLink] = useState<string | null>(null);
  useEffect(() => setLink(`${location.origin}/s/${joinCode}`), [joinCode]);

  return (
    <section
      data-testid="join-banner"
      aria-label="How to join"
      className="flex items-center gap-6 rounded-2xl border-2 border-slate-300 bg-white px-6 py-4"
    >
      {link && (
        <span data-testid="join-qr" className="shrink-0">
          <LinkQr link={link} label={`QR code of ${link}`} />
        </span>
      )}
      <div className="min-w-0 flex-1">
        <p className="text-xl text-slate-700">Join at</p>
        <p className="break-all font-mono text-2xl font-semibold text-slate-900">{link}</p>
        <p className="mt-2 text-xl text-slate-700">with the code</p>
        <p data-testid="presenter-join-code" className="font-mono text-6xl font-bold tracking-[0.25em]">
          {joinCode}
        </p>
      </div>
    </section>
  );
}

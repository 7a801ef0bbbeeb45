'use client';

import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** The join code in letters a back row can read, and a QR code of the join link. */
export function JoinBanner({ joinCode }: { joinCode: string }) {
  const [link, setLink] = useState<string | null>(null);
  const [qr, setQr] = useState<string | null>(null);

  useEffect(() => {
    const url = `${location.origin}/s/${joinCode}`;
    setLink(url);
    let live = true;
    QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
      .then((svg) => {
        if (live) setQr(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
      })
      .catch(() => setQr(null));
    return () => {
      live = false;
    };
  }, [joinCode]);

  return (
    <section
      data-testid="join-banner"
      aria-label="How to join"
      className="flex items-center gap-6 rounded-2xl border-2 border-slate-300 bg-white px-6 py-4"
    >
      {qr && (
        // biome-ignore lint/performance/noImgElement: a generated data URI, nothing for next/image to optimise
        <img data-testid="join-qr" src={qr} alt={`QR code of ${link}`} className="h-44 w-44 shrink-0" />
      )}
      <div className="min-w-0">
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

'use client';

import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** A QR code of a link, drawn here (no service sees the link). */
export function LinkQr({ link, label, size = 176 }: { link: string; label: string; size?: number }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toString(link, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
      .then((svg) => live && setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`))
      .catch(() => live && setSrc(null));
    return () => {
      live = false;
    };
  }, [link]);
  if (!src) return null;
  // biome-ignore lint/performance/noImgElement: a generated data URI, nothing for next/image to optimise
  return <img src={src} alt={label} width={size} height={size} style={{ width: size, height: size }} />;
}

'use client';

import { useEffect, useState } from 'react';
import type { PixelImage } from '@/lib/viz';

/** An image as the server decodes it for a model: the pixels every view draws and computes on. */
export function usePixels(modelId: string | null, imageId: string | null): PixelImage | null {
  const [image, setImage] = useState<{ key: string; pixels: PixelImage } | null>(null);
  const key = modelId && imageId ? `${modelId}|${imageId}` : null;

  useEffect(() => {
    if (!modelId || !imageId) return;
    const controller = new AbortController();
    const path = imageId.split('/').map(encodeURIComponent).join('/');
    fetch(`/api/pixels/${encodeURIComponent(modelId)}/${path}`, { signal: controller.signal })
      .then(async (res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const header = (name: string) => Number(res.headers.get(name));
        const pixels: PixelImage = {
          height: header('x-image-height'),
          width: header('x-image-width'),
          channels: header('x-image-channels'),
          data: new Uint8Array(await res.arrayBuffer()),
        };
        setImage({ key: `${modelId}|${imageId}`, pixels });
      })
      .catch(() => undefined);
    return () => controller.abort();
  }, [modelId, imageId]);

  return image && image.key === key ? image.pixels : null;
}

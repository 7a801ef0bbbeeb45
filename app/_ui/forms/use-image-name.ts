'use client';

import { useEffect, useState } from 'react';
import type { CatalogImage } from '@/lib/protocol/http';

/** Names fetched once per page: an upload's original name never changes (uploads are stored by content). */
const known = new Map<string, Promise<string>>();

/** What a person calls an image: its label and file, or for an upload the name it was sent with. */
export function imageDisplayName(image: Pick<CatalogImage, 'file' | 'label' | 'originalName'>): string {
  if (image.originalName) return image.originalName;
  return image.label ? `${image.label} — ${image.file}` : image.file;
}

/** The image's file part, for when the server cannot be asked (and while it answers). */
function fallbackName(imageId: string): string {
  return imageId.startsWith('uploads/') ? 'an uploaded photo' : imageId.slice(imageId.indexOf('/') + 1);
}

export function fetchImageName(imageId: string): Promise<string> {
  let name = known.get(imageId);
  if (!name) {
    const [set, ...file] = imageId.split('/');
    name = fetch(`/api/images/${encodeURIComponent(set)}/${encodeURIComponent(file.join('/'))}`)
      .then(async (res) =>
        res.ok ? imageDisplayName((await res.json()) as CatalogImage) : fallbackName(imageId),
      )
      .catch(() => fallbackName(imageId));
    known.set(imageId, name);
  }
  return name;
}

/** An image's name for people (an upload's original file name), from GET /api/images/<set>/<file>. */
export function useImageName(imageId: string | null): string | null {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    if (!imageId) return setName(null);
    let live = true;
    setName(fallbackName(imageId));
    void fetchImageName(imageId).then((n) => live && setName(n));
    return () => {
      live = false;
    };
  }, [imageId]);
  return name;
}

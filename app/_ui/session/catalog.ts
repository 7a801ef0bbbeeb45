'use client';

import { useEffect, useState } from 'react';
import { imageSetsFor as suitedImageSets } from '@/lib/session/shared-view';

export interface CatalogModel {
  id: string;
  name: string;
  kind: 'builtin' | 'pack';
}

export interface CatalogImageSet {
  id: string;
  name: string;
  images: { id: string; file: string; label?: string }[];
}

export interface Catalog {
  models: CatalogModel[];
  sets: CatalogImageSet[];
  reload(): void;
}

/** The models and image sets this server offers (built-in always; the packs where present). */
export function useCatalog(): Catalog | null {
  const [catalog, setCatalog] = useState<Omit<Catalog, 'reload'> | null>(null);
  const [version, setVersion] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: version is the reload trigger
  useEffect(() => {
    let live = true;
    Promise.all([fetch('/api/models').then((r) => r.json()), fetch('/api/images').then((r) => r.json())])
      .then(([m, i]) => {
        if (live) setCatalog({ models: m.models, sets: i.sets });
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [version]);

  return catalog && { ...catalog, reload: () => setVersion((v) => v + 1) };
}

/** The image sets that suit a model (lib/session/shared-view.ts), among those with images here. */
export function imageSetsFor(modelId: string, sets: CatalogImageSet[]): { single: string[]; many: string[] } {
  return suitedImageSets(
    modelId,
    sets.filter((s) => s.images.length > 0).map((s) => s.id),
  );
}

export function defaultImageFor(modelId: string, sets: CatalogImageSet[]): string | null {
  const [first] = imageSetsFor(modelId, sets).single;
  const set = sets.find((s) => s.id === first);
  const pomeranian = set?.images.find((img) => img.file === 'dog_pomeranian.JPEG');
  return (pomeranian ?? set?.images[0])?.id ?? null;
}

export function cropUrl(modelId: string, imageId: string): string {
  return `/api/crops/${encodeURIComponent(modelId)}/${imageId.split('/').map(encodeURIComponent).join('/')}`;
}

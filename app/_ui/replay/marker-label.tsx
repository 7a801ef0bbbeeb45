'use client';

import { useImageName } from '../forms/use-image-name';
import type { Marker } from './timeline';

/** A marker's words; an image or upload named as people know it (an upload by its original file name). */
export function MarkerLabel({ marker }: { marker: Marker }) {
  const name = useImageName(marker.imageId ?? null);
  if (!marker.imageId || !name) return <>{marker.label}</>;
  return <>{marker.kind === 'upload' ? `Uploaded: ${name}` : `Image: ${name}`}</>;
}

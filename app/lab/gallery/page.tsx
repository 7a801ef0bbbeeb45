import type { Metadata } from 'next';
import { Gallery } from './gallery';

export const metadata: Metadata = { title: 'Component gallery · ConvLens' };

/** Developer gallery: every visualization component with synthetic data. Not part of the classroom. */
export default function GalleryPage() {
  return <Gallery />;
}

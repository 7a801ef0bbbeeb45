'use client';

import { useEffect, useId, useMemo, useState } from 'react';
import { type Catalog, cropUrl, imageSetsFor } from './catalog';
import { type RecentUpload, recentUploads } from './recent-uploads';

/** Matches shown at once: enough to choose from, few enough that the thumbnails load fast. */
const SHOWN = 24;

interface Choice {
  id: string;
  /** What people read: the class (or digit) and the file. */
  title: string;
  detail: string;
}

/**
 * The image every view works on: search by class name or file name, pick from thumbnails; the photos this
 * browser uploaded are listed first under their own names.
 */
export function ImagePicker({
  modelId,
  imageId,
  imageName,
  catalog,
  uploadsVersion,
  onPick,
}: {
  modelId: string;
  imageId: string | null;
  /** The current image's name for people (an upload's original file name), when known. */
  imageName: string | null;
  catalog: Catalog;
  /** Changes after each upload, so the recent list is read again. */
  uploadsVersion: number;
  onPick: (imageId: string) => void;
}) {
  const id = useId();
  const [query, setQuery] = useState('');
  const [uploads, setUploads] = useState<RecentUpload[]>([]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: uploadsVersion is the reload trigger
  useEffect(() => setUploads(recentUploads()), [uploadsVersion]);

  const choices = useMemo(() => {
    const suited = imageSetsFor(modelId, catalog.sets).single;
    return catalog.sets
      .filter((s) => suited.includes(s.id))
      .flatMap((set) =>
        set.images.map<Choice>((img) => ({
          id: img.id,
          title: img.label ?? img.file,
          detail: img.label ? `${img.file} · ${set.name}` : set.name,
        })),
      );
  }, [modelId, catalog.sets]);
  const uploaded = uploads.map<Choice>((u) => ({ id: u.id, title: u.name, detail: 'your upload' }));

  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (c: Choice) => words.every((w) => `${c.title} ${c.detail}`.toLowerCase().includes(w));
  const found = [...uploaded, ...choices].filter(matches);
  const current = [...uploaded, ...choices].find((c) => c.id === imageId);

  return (
    <section aria-labelledby={`${id}-title`} data-testid="image-picker" className="space-y-2">
      <h3 id={`${id}-title`} className="text-slate-700">
        Image
      </h3>
      {imageId && (
        <div className="flex items-center gap-2" data-testid="current-image">
          {/* biome-ignore lint/performance/noImgElement: the model's crop, served by the API */}
          <img src={cropUrl(modelId, imageId)} alt="" width={48} height={48} className="rounded" />
          <span className="min-w-0">
            <span className="block truncate font-medium">{current?.title ?? imageName ?? 'an image'}</span>
            <span className="block truncate text-xs text-slate-600">{current?.detail}</span>
          </span>
        </div>
      )}
      <label className="block">
        <span className="sr-only">Search images by class or file name</span>
        <input
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="Search: class or file name"
          className="w-full rounded border px-2 py-1"
        />
      </label>
      <p className="text-xs text-slate-600" aria-live="polite">
        {found.length === 0
          ? 'No image matches.'
          : `${found.length} image${found.length === 1 ? '' : 's'}${found.length > SHOWN ? `, first ${SHOWN} shown` : ''}`}
      </p>
      <ul className="grid max-h-80 grid-cols-3 gap-1.5 overflow-y-auto" data-testid="image-choices">
        {found.slice(0, SHOWN).map((c) => (
          <li key={c.id} className="min-w-0">
            <button
              type="button"
              onClick={() => onPick(c.id)}
              aria-pressed={c.id === imageId}
              title={`${c.title} (${c.detail})`}
              className={`block w-full rounded p-0.5 text-left hover:bg-indigo-50 ${
                c.id === imageId ? 'ring-2 ring-indigo-500' : ''
              }`}
            >
              {/* biome-ignore lint/performance/noImgElement: the model's crop, served by the API */}
              <img
                src={cropUrl(modelId, c.id)}
                alt=""
                loading="lazy"
                className="aspect-square w-full rounded bg-slate-200 object-cover"
              />
              <span className="block truncate text-xs">{c.title}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

'use client';

import { type ChangeEvent, useState } from 'react';
import type { SessionState } from '@/lib/session/state';
import { AnotherDeviceButton } from './another-device-button';
import { type Catalog, imageSetsFor } from './catalog';
import type { Dispatch } from './dispatch';

/** What only the instructor sets: model, image, where results are computed, follow or free. */
export function InstructorControls({
  joinCode,
  state,
  catalog,
  dispatch,
}: {
  joinCode: string;
  state: SessionState;
  catalog: Catalog;
  dispatch: Dispatch;
}) {
  const [uploadError, setUploadError] = useState<string | null>(null);
  const sets = imageSetsFor(state.modelId, catalog.sets).single;
  const images = catalog.sets.filter((s) => sets.includes(s.id));

  async function upload(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setUploadError(null);
    const res = await fetch(`/api/images?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { 'content-type': file.type },
      body: file,
    });
    const body = await res.json();
    if (!res.ok) return setUploadError(body.error?.message ?? `upload failed (${res.status})`);
    catalog.reload();
    dispatch({ type: 'image.set', imageId: body.id });
  }

  async function uploadModel(event: ChangeEvent<HTMLInputElement>) {
    const files = [...(event.target.files ?? [])];
    event.target.value = '';
    if (files.length === 0) return;
    setUploadError(null);
    const form = new FormData();
    for (const file of files) {
      const field = file.name === 'model.json' || file.name === 'manifest.json' ? file.name : 'weights';
      form.append(field, file, file.name);
    }
    const res = await fetch('/api/models', { method: 'POST', body: form });
    const body = await res.json();
    if (!res.ok) return setUploadError(body.error?.message ?? `model upload failed (${res.status})`);
    catalog.reload();
    dispatch({ type: 'model.set', modelId: body.id });
  }

  return (
    <section
      aria-label="Instructor controls"
      className="space-y-3 rounded-xl border border-slate-200 bg-white p-4 text-sm"
    >
      <label className="block">
        <span className="text-slate-600">Model</span>
        <select
          aria-label="Model"
          value={state.modelId}
          onChange={(e) => dispatch({ type: 'model.set', modelId: e.target.value })}
          className="mt-1 w-full rounded border px-2 py-1"
        >
          {!catalog.models.some((m) => m.id === state.modelId) && (
            <option value={state.modelId}>{state.modelId}</option>
          )}
          {catalog.models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      <label className="block">
        <span className="text-slate-600">Image</span>
        <select
          aria-label="Image"
          value={state.imageId ?? ''}
          onChange={(e) => dispatch({ type: 'image.set', imageId: e.target.value })}
          className="mt-1 w-full rounded border px-2 py-1"
        >
          {state.imageId === null && <option value="">choose an image</option>}
          {state.imageId && !images.some((set) => set.images.some((img) => img.id === state.imageId)) && (
            <option value={state.imageId}>
              {state.imageId.startsWith('uploads/') ? 'your upload' : state.imageId}
            </option>
          )}
          {images.map((set) => (
            <optgroup key={set.id} label={set.name}>
              {set.images.map((img) => (
                <option key={img.id} value={img.id}>
                  {img.label ? `${img.label} — ${img.file}` : img.file}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      <label className="block">
        <span className="text-slate-600">Upload a JPEG or PNG (up to 8 MiB)</span>
        <input
          type="file"
          accept="image/jpeg,image/png"
          onChange={upload}
          className="mt-1 block w-full text-xs"
        />
      </label>
      <label className="block">
        <span className="text-slate-600">
          Upload a model: model.json, its weight files, optionally manifest.json
        </span>
        <input
          type="file"
          multiple
          accept=".json,.bin,application/json,application/octet-stream"
          onChange={uploadModel}
          className="mt-1 block w-full text-xs"
        />
      </label>
      {uploadError && (
        <p role="alert" className="text-red-700">
          {uploadError}
        </p>
      )}
      <AnotherDeviceButton joinCode={joinCode} />
      <fieldset className="flex gap-3">
        <legend className="text-slate-600">Compute results</legend>
        {(['server', 'browser'] as const).map((where) => (
          <label key={where} className="flex items-center gap-1">
            <input
              type="radio"
              name="compute"
              checked={state.compute === where}
              onChange={() => dispatch({ type: 'compute.set', where })}
            />
            {where === 'server' ? 'on the server' : 'in each browser'}
          </label>
        ))}
      </fieldset>
      <fieldset className="flex gap-3">
        <legend className="text-slate-600">Students</legend>
        {(['follow', 'free'] as const).map((mode) => (
          <label key={mode} className="flex items-center gap-1">
            <input
              type="radio"
              name="mode"
              checked={state.mode === mode}
              onChange={() => dispatch({ type: 'mode.set', mode })}
            />
            {mode === 'follow' ? 'follow me' : 'explore freely'}
          </label>
        ))}
      </fieldset>
    </section>
  );
}

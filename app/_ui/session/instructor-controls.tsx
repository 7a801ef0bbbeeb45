'use client';

import type { SessionState } from '@/lib/session/state';
import { ImageUpload } from '../forms/image-upload';
import { ModelUpload } from '../forms/model-upload';
import { useImageName } from '../forms/use-image-name';
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
  const imageName = useImageName(state.imageId);
  const sets = imageSetsFor(state.modelId, catalog.sets).single;
  const images = catalog.sets.filter((s) => sets.includes(s.id));

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
            <option value={state.imageId}>{imageName ?? state.imageId}</option>
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
      <ImageUpload
        onUploaded={(image) => {
          catalog.reload();
          dispatch({ type: 'image.set', imageId: image.id });
        }}
      />
      <ModelUpload
        onUploaded={(model) => {
          catalog.reload();
          dispatch({ type: 'model.set', modelId: model.id });
        }}
      />
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

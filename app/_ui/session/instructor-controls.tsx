'use client';

import { useState } from 'react';
import type { SessionState } from '@/lib/session/state';
import { ImageUpload } from '../forms/image-upload';
import { ModelUpload } from '../forms/model-upload';
import { useImageName } from '../forms/use-image-name';
import { AnotherDeviceButton } from './another-device-button';
import type { Catalog } from './catalog';
import type { Dispatch } from './dispatch';
import { ImagePicker } from './image-picker';
import { rememberUpload } from './recent-uploads';

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
  const [uploads, setUploads] = useState(0);

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
      <ImagePicker
        modelId={state.modelId}
        imageId={state.imageId}
        imageName={imageName}
        catalog={catalog}
        uploadsVersion={uploads}
        onPick={(imageId) => dispatch({ type: 'image.set', imageId })}
      />
      <ImageUpload
        onUploaded={(image) => {
          rememberUpload({ id: image.id, name: image.originalName ?? image.file });
          setUploads((n) => n + 1);
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

'use client';

import type { ModelUploadResult } from '@/lib/protocol/http';
import { errorMessage, UploadField } from './upload-field';

/** The form field each file goes in: model.json and manifest.json by name, anything else is a weight file. */
function fieldOf(file: File): string {
  return file.name === 'model.json' || file.name === 'manifest.json' ? file.name : 'weights';
}

/** Upload a TF.js model (model.json, weights, optionally manifest.json); its errors show here. */
export function ModelUpload({ onUploaded }: { onUploaded: (model: ModelUploadResult) => void }) {
  return (
    <UploadField
      testId="model-upload"
      multiple
      label="Upload a model: model.json, its weight files, optionally manifest.json"
      accept=".json,.bin,application/json,application/octet-stream"
      onFiles={async (files) => {
        if (!files.some((f) => f.name === 'model.json')) {
          return {
            ok: false,
            error: 'Choose model.json together with its weight files (select them all at once).',
          };
        }
        const form = new FormData();
        for (const file of files) form.append(fieldOf(file), file, file.name);
        const res = await fetch('/api/models', { method: 'POST', body: form });
        if (!res.ok) return { ok: false, error: await errorMessage(res, 'the model upload') };
        const model = (await res.json()) as ModelUploadResult;
        onUploaded(model);
        return { ok: true, done: `Using ${model.name}.` };
      }}
    />
  );
}

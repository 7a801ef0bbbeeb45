'use client';

import type { CatalogImage } from '@/lib/protocol/http';
import { errorMessage, UploadField } from './upload-field';

/** Upload a JPEG or PNG; its errors show here, and success names the file as it was sent. */
export function ImageUpload({ onUploaded }: { onUploaded: (image: CatalogImage) => void }) {
  return (
    <UploadField
      testId="image-upload"
      label="Upload a JPEG or PNG (up to 8 MiB)"
      accept="image/jpeg,image/png"
      onFiles={async ([file]) => {
        const res = await fetch(`/api/images?name=${encodeURIComponent(file.name)}`, {
          method: 'POST',
          headers: { 'content-type': file.type || 'application/octet-stream' },
          body: file,
        });
        if (!res.ok) return { ok: false, error: `${file.name}: ${await errorMessage(res, 'the upload')}` };
        const image = (await res.json()) as CatalogImage;
        onUploaded(image);
        return { ok: true, done: `Showing ${image.originalName ?? file.name}.` };
      }}
    />
  );
}

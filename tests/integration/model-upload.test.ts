import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpErrorBody } from '@/lib/protocol/http';
import { startServer, type TestServer } from '../helpers/server';

const builtin = join(import.meta.dirname, '../../public/models/mnist-cnn');
const modelJson = readFileSync(join(builtin, 'model.json'), 'utf8');
const weightNames: string[] = JSON.parse(modelJson).weightsManifest.flatMap(
  (g: { paths: string[] }) => g.paths,
);

function form(files: { field: string; name: string; data: Uint8Array | string }[]): FormData {
  const body = new FormData();
  for (const f of files) body.append(f.field, new Blob([f.data as BlobPart]), f.name);
  return body;
}

describe('model uploads over HTTP', () => {
  let server: TestServer;
  const uploadsDir = mkdtempSync(join(tmpdir(), 'convlens-uploads-'));
  beforeAll(async () => {
    process.env.CONVLENS_MODEL_UPLOADS_DIR = uploadsDir;
    server = await startServer('sqlite');
  });
  afterAll(async () => {
    await server.stop();
    delete process.env.CONVLENS_MODEL_UPLOADS_DIR;
    rmSync(uploadsDir, { recursive: true, force: true });
  });

  const upload = (body: FormData) => fetch(`${server.url}/api/models`, { method: 'POST', body });

  it('accepts model.json with its weights, stores it, and serves it like a built-in model', async () => {
    const weights = weightNames.map((name) => ({
      field: 'weights',
      name,
      data: readFileSync(join(builtin, name)),
    }));
    const manifest = JSON.stringify({
      name: 'My digits',
      labels: [...'0123456789'],
      preprocessing: { scale: 1 / 255 },
    });
    const res = await upload(
      form([
        { field: 'model.json', name: 'model.json', data: modelJson },
        { field: 'manifest.json', name: 'manifest.json', data: manifest },
        ...weights,
      ]),
    );
    const body = (await res.json()) as { id: string; name: string };
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body.id).toMatch(/^upload-[0-9a-f]{32}$/);
    const listed = (await (await fetch(`${server.url}/api/models`)).json()) as { models: { id: string }[] };
    expect(listed.models.map((m) => m.id)).toContain(body.id);
    const served = await fetch(`${server.url}/api/models/${body.id}/manifest.json`);
    expect(served.status).toBe(200);
    expect(((await served.json()) as { name: string }).name).toBe('My digits');
  });

  it('refuses weights of the wrong length, unsafe names and missing files, naming what is wrong', async () => {
    const short = await upload(
      form([
        { field: 'model.json', name: 'model.json', data: modelJson },
        { field: 'weights', name: weightNames[0], data: new Uint8Array(10) },
      ]),
    );
    expect(short.status).toBe(400);
    expect(((await short.json()) as HttpErrorBody).error.message).toContain(weightNames[0]);

    const sneaky = await upload(
      form([
        { field: 'model.json', name: 'model.json', data: modelJson },
        { field: 'weights', name: '../../etc/passwd', data: 'x' },
      ]),
    );
    expect(sneaky.status).toBe(400);

    const none = await upload(form([{ field: 'weights', name: 'w.bin', data: 'x' }]));
    expect(((await none.json()) as HttpErrorBody).error.message).toBe('the upload has no model.json');
    const notForm = await fetch(`${server.url}/api/models`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(notForm.status).toBe(415);
  });
});

describe('image uploads over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer('sqlite');
  });
  afterAll(async () => server.stop());

  it('accepts a PNG under its content hash, serves it by id, and does not list it', async () => {
    const png = readFileSync(join(import.meta.dirname, '../../public/images/mnist/003-0.png'));
    const res = await fetch(`${server.url}/api/images`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: png,
    });
    const { id } = (await res.json()) as { id: string };
    expect(res.status).toBe(201);
    expect(id).toMatch(/^uploads\/[0-9a-f]{32}\.png$/);
    const served = await fetch(`${server.url}/api/images/file/${id}`);
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);
    const { sets } = (await (await fetch(`${server.url}/api/images`)).json()) as { sets: { id: string }[] };
    expect(sets.map((s) => s.id)).not.toContain('uploads');
  });

  it('refuses what is not a JPEG or PNG, and what is too large', async () => {
    const text = await fetch(`${server.url}/api/images`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: 'not an image',
    });
    expect(((await text.json()) as HttpErrorBody).error.code).toBe('bad-image');
    const gif = await fetch(`${server.url}/api/images`, {
      method: 'POST',
      headers: { 'content-type': 'image/gif' },
      body: 'GIF89a',
    });
    expect(gif.status).toBe(415);
    const huge = await fetch(`${server.url}/api/images`, {
      method: 'POST',
      headers: { 'content-type': 'image/jpeg' },
      body: new Uint8Array(9 * 1024 * 1024),
    });
    expect(huge.status).toBe(413);
  });
});

// A hostile client against the real server: each case is an attack or an accident seen in issue 10 (uploads and
// the catalog), kept as a regression test. Every response body is kept and checked for server paths at the end.
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComputeAccepted } from '@/lib/protocol/compute';
import type { Response } from '@/lib/protocol/socket';
import { modelPaths, PROJECT_ROOT } from '@/server/models/paths';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, TestParticipant } from '../helpers/session-client';

const builtin = join(PROJECT_ROOT, 'public/models/mnist-cnn');
const digitsModelJson = readFileSync(join(builtin, 'model.json'), 'utf8');
const digitPng = readFileSync(join(PROJECT_ROOT, 'public/images/mnist/003-0.png'));
const digitsWeights = JSON.parse(digitsModelJson).weightsManifest.flatMap((g: { paths: string[] }) =>
  g.paths.map((name) => ({ name, data: readFileSync(join(builtin, name)) })),
) as { name: string; data: Buffer }[];

interface Part {
  field: string;
  name: string;
  data: Uint8Array | string;
}

function form(parts: Part[]): FormData {
  const body = new FormData();
  for (const part of parts) body.append(part.field, new Blob([part.data as BlobPart]), part.name);
  return body;
}

const modelJsonPart = (data: string = digitsModelJson): Part => ({
  field: 'model.json',
  name: 'model.json',
  data,
});
const weightParts = (files = digitsWeights): Part[] =>
  files.map((file) => ({ field: 'weights', name: file.name, data: file.data }));
const manifestPart = (manifest: object): Part => ({
  field: 'manifest.json',
  name: 'manifest.json',
  data: JSON.stringify(manifest),
});

/**
 * A Sequential conv model: conv 3×3 (`filters`) → global average pool → dense softmax (`classes`), with
 * zero weights of exactly the declared size. Small on disk whatever its input size.
 */
function convModel(options: { side: number; filters: number; classes: number; weightPath?: string }) {
  const { side, filters, classes } = options;
  const weightPath = options.weightPath ?? 'weights.bin';
  const layers = [
    {
      class_name: 'Conv2D',
      config: {
        name: 'conv',
        filters,
        kernel_size: [3, 3],
        strides: [1, 1],
        padding: 'same',
        activation: 'relu',
        use_bias: true,
        batch_input_shape: [null, side, side, 3],
        dtype: 'float32',
      },
    },
    { class_name: 'GlobalAveragePooling2D', config: { name: 'pool' } },
    { class_name: 'Dense', config: { name: 'out', units: classes, activation: 'softmax', use_bias: true } },
  ];
  const weights = [
    { name: 'conv/kernel', shape: [3, 3, 3, filters], dtype: 'float32' },
    { name: 'conv/bias', shape: [filters], dtype: 'float32' },
    { name: 'out/kernel', shape: [filters, classes], dtype: 'float32' },
    { name: 'out/bias', shape: [classes], dtype: 'float32' },
  ];
  const values = 27 * filters + filters + filters * classes + classes;
  const modelJson = JSON.stringify({
    format: 'layers-model',
    modelTopology: { class_name: 'Sequential', config: { name: 'hostile', layers } },
    weightsManifest: [{ paths: [weightPath], weights }],
  });
  return { modelJson, weights: [{ name: weightPath, data: Buffer.alloc(values * 4) }] };
}

/** The fields these tests read from JSON answers. */
interface Body {
  id: string;
  name: string;
  labels: string[];
  models: { id: string }[];
  error: { code: string; message: string };
  [field: string]: unknown;
}

class LogLines extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) this.lines.push(JSON.parse(line));
    done();
  }
}

describe('hostile uploads against the real server', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'convlens-hostile-'));
  const modelUploads = join(scratch, 'models');
  const imageUploads = join(scratch, 'images');
  const logs = new LogLines();
  const log = pino({ level: 'warn' }, logs);
  /** Every response body and acknowledgement, checked for server paths at the end. */
  const seen: string[] = [];
  let server: TestServer;

  async function call(
    path: string,
    init?: RequestInit,
  ): Promise<{ status: number; text: string; json: Body }> {
    const res = await fetch(`${server.url}${path}`, init);
    const text = await res.text();
    seen.push(text);
    let json = {} as Body;
    try {
      json = JSON.parse(text);
    } catch {}
    return { status: res.status, text, json };
  }
  const upload = (parts: Part[]) => call('/api/models', { method: 'POST', body: form(parts) });
  const stagingLeft = () => readdirSync(modelUploads).filter((name) => name.startsWith('.staging-'));

  async function restart(): Promise<void> {
    await server?.stop();
    server = await startServer('sqlite', { log });
  }

  beforeAll(async () => {
    process.env.CONVLENS_MODEL_UPLOADS_DIR = modelUploads;
    process.env.CONVLENS_IMAGE_UPLOADS_DIR = imageUploads;
    mkdirSync(modelUploads, { recursive: true });
    // What the old code stored for an upload without manifest: an empty label list, refused by the catalog.
    const broken = join(modelUploads, 'upload-0123456789abcdef');
    mkdirSync(broken);
    writeFileSync(join(broken, 'model.json'), digitsModelJson);
    for (const file of digitsWeights) writeFileSync(join(broken, file.name), file.data);
    writeFileSync(
      join(broken, 'manifest.json'),
      JSON.stringify({
        id: 'upload-0123456789abcdef',
        inputSize: { height: 28, width: 28, channels: 1 },
        labels: [],
      }),
    );
    // An uploaded image that no longer decodes (a disk error, a hand-edited folder).
    mkdirSync(imageUploads, { recursive: true });
    writeFileSync(join(imageUploads, `${'a'.repeat(32)}.png`), 'not a png any more');
    // A staging folder left by a server that stopped mid-upload an hour ago.
    const stale = join(modelUploads, '.staging-upload-stale-1234');
    mkdirSync(stale);
    writeFileSync(join(stale, 'model.json'), '{}');
    const anHourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(stale, anHourAgo, anHourAgo);
    await restart();
  });

  afterAll(async () => {
    await server?.stop();
    delete process.env.CONVLENS_MODEL_UPLOADS_DIR;
    delete process.env.CONVLENS_IMAGE_UPLOADS_DIR;
    rmSync(scratch, { recursive: true, force: true });
  });

  describe('a catalog entry that fails to load', () => {
    it('is skipped with a logged reason; the catalog and session creation keep working', async () => {
      const models = await call('/api/models');
      expect(models.status).toBe(200);
      const ids = models.json.models.map((m) => m.id);
      expect(ids).toContain('mnist-cnn');
      expect(ids).not.toContain('upload-0123456789abcdef');
      expect((await call('/api/sessions', json({ title: 'Still works' }))).status).toBe(201);
      const skipped = logs.lines.find((line) => line.model === 'upload-0123456789abcdef');
      expect(skipped).toMatchObject({ msg: 'model skipped', reason: expect.stringMatching(/labels/) });
    });

    it('stale staging folders are swept when the server starts', () => {
      expect(stagingLeft()).toEqual([]);
    });
  });

  describe('an upload without manifest.json (the docs say it is optional)', () => {
    let id: string;

    it('is stored with a valid manifest: labels "class 0"… from the output size', async () => {
      const res = await upload([modelJsonPart(), ...weightParts()]);
      expect(res.status, res.text).toBe(201);
      id = res.json.id;
      expect(id).toMatch(/^upload-[0-9a-f]{32}$/);
      const manifest = await call(`/api/models/${id}/manifest.json`);
      expect(manifest.json.labels).toEqual(Array.from({ length: 10 }, (_, i) => `class ${i}`));
    });

    it('leaves the catalog and session creation working, also after a restart', async () => {
      for (let round = 0; round < 2; round++) {
        const models = await call('/api/models');
        expect(models.status).toBe(200);
        expect(models.json.models.map((m) => m.id)).toContain(id);
        const session = await call('/api/sessions', json({ title: 'Uploaded', modelId: id }));
        expect(session.status, session.text).toBe(201);
        if (round === 0) await restart();
      }
    });

    it('computes on the server with its inferred labels', async () => {
      const teacher = await instructor();
      const answer = await ask(teacher, { kind: 'predict', modelId: id, imageId: 'mnist/003-0.png' });
      teacher.close();
      expect(answer.ok && answer.value.status, JSON.stringify(answer)).toBe('done');
    });
  });

  describe('content addressing: an uploaded model cannot be replaced', () => {
    let original: string;

    it('re-uploading the same model.json with other weights or another manifest makes a new model', async () => {
      const first = await upload([modelJsonPart(), manifestPart({ name: 'Digits A' }), ...weightParts()]);
      expect(first.status, first.text).toBe(201);
      original = first.json.id;
      const zeros = digitsWeights.map((file) => ({ name: file.name, data: Buffer.alloc(file.data.length) }));
      const zeroed = await upload([
        modelJsonPart(),
        manifestPart({ name: 'Digits A' }),
        ...weightParts(zeros),
      ]);
      const renamed = await upload([modelJsonPart(), manifestPart({ name: 'Renamed' }), ...weightParts()]);
      expect(zeroed.status).toBe(201);
      expect(renamed.status).toBe(201);
      expect(new Set([original, zeroed.json.id, renamed.json.id]).size).toBe(3);

      // The first model is served exactly as it was uploaded.
      expect((await call(`/api/models/${original}/manifest.json`)).json.name).toBe('Digits A');
      for (const file of digitsWeights) {
        const res = await fetch(`${server.url}/api/models/${original}/${file.name}`);
        expect(Buffer.from(await res.arrayBuffer()).equals(file.data)).toBe(true);
      }
    });

    it('the same upload again gets the same id and leaves the stored files untouched', async () => {
      const folder = join(modelUploads, original);
      const before = readdirSync(folder).map((name) => statSync(join(folder, name)).mtimeMs);
      const again = await upload([modelJsonPart(), manifestPart({ name: 'Digits A' }), ...weightParts()]);
      expect(again.json.id).toBe(original);
      expect(readdirSync(folder).map((name) => statSync(join(folder, name)).mtimeMs)).toEqual(before);
    });

    it('refuses a weight file named model.json or manifest.json, naming it, and stores nothing', async () => {
      for (const name of ['model.json', 'manifest.json']) {
        const model = convModel({ side: 8, filters: 2, classes: 2, weightPath: name });
        const res = await upload([
          modelJsonPart(model.modelJson),
          { field: 'weights', name, data: model.weights[0].data },
        ]);
        expect(res.status, res.text).toBe(400);
        expect(res.json.error.message).toContain(`"${name}"`);
      }
      expect(stagingLeft()).toEqual([]);
    });

    it('refuses a weight path with a sub-folder with 400 naming it, leaving no staging folder', async () => {
      const model = convModel({ side: 8, filters: 2, classes: 2, weightPath: 'sub/weights.bin' });
      const res = await upload([
        modelJsonPart(model.modelJson),
        { field: 'weights', name: 'sub/weights.bin', data: model.weights[0].data },
      ]);
      expect(res.status, res.text).toBe(400);
      expect(res.json.error.message).toContain('"sub/weights.bin"');
      expect(stagingLeft()).toEqual([]);
    });

    it('refuses form fields it does not know, and a second model.json', async () => {
      const extra = await upload([
        modelJsonPart(),
        ...weightParts(),
        { field: 'notes', name: 'a.txt', data: 'x' },
      ]);
      expect(extra.status).toBe(400);
      expect(extra.json.error.message).toContain('"notes"');
      const twice = await upload([modelJsonPart(), modelJsonPart(), ...weightParts()]);
      expect(twice.status).toBe(400);
    });
  });

  describe('resource bounds, before any work starts', () => {
    it('refuses a 4096×4096×3 conv model at upload, naming the layer over the limit', async () => {
      const model = convModel({ side: 4096, filters: 8, classes: 2 });
      const res = await upload([modelJsonPart(model.modelJson), ...weightParts(model.weights)]);
      expect(res.status, res.text).toBe(400);
      expect(res.json.error.code).toBe('model-too-large');
      expect(res.json.error.message).toMatch(
        /layer \w+ \(\w+\) outputs 4096×4096×\d+ = [\d,]+ values per image/,
      );
    });

    it('skips a catalog folder over the limit, and the rest keeps working', async () => {
      const model = convModel({ side: 4096, filters: 8, classes: 2 });
      const folder = join(modelUploads, 'upload-ffffffffffffffff');
      mkdirSync(folder);
      writeFileSync(join(folder, 'model.json'), model.modelJson);
      writeFileSync(join(folder, model.weights[0].name), model.weights[0].data);
      writeFileSync(
        join(folder, 'manifest.json'),
        JSON.stringify({
          id: 'upload-ffffffffffffffff',
          inputSize: { height: 4096, width: 4096, channels: 3 },
        }),
      );
      const models = await call('/api/models');
      expect(models.json.models.map((m) => m.id)).not.toContain('upload-ffffffffffffffff');
      const teacher = await instructor();
      const answer = await ask(teacher, {
        kind: 'activations',
        modelId: 'upload-ffffffffffffffff',
        imageId: 'mnist/003-0.png',
        layer: 'conv',
      });
      // The worker refuses before loading; the next job on the same workers still runs.
      expect(answer.ok).toBe(false);
      if (!answer.ok) expect(answer.error.message).toMatch(/cannot be used: .*values per image/);
      const next = await ask(teacher, { kind: 'predict', modelId: 'mnist-cnn', imageId: 'mnist/003-0.png' });
      teacher.close();
      expect(next.ok && next.value.status).toBe('done');
    });
  });

  describe('uploaded images', () => {
    let id: string;
    const sendImage = (name: string, data: Buffer = digitPng) =>
      call(`/api/images?name=${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'content-type': 'image/png' },
        body: new Uint8Array(data),
      });

    it('keep the name they were sent with, without folders or control characters', async () => {
      const res = await sendImage('../../etc/my\u202Edigit\u0007  three.png');
      expect(res.status, res.text).toBe(201);
      id = res.json.id;
      expect(res.json).toEqual({ id, file: id.slice('uploads/'.length), originalName: 'mydigit three.png' });
      expect((await call(`/api/images/${id}`)).json).toEqual(res.json);
      // The same photo under another name is the same image, with its first name.
      const again = await sendImage('other.png');
      expect(again.json).toEqual(res.json);
      const long = await sendImage(
        `${'x'.repeat(300)}.png`,
        Buffer.from(readFileSync(join(PROJECT_ROOT, 'public/images/mnist/001-7.png'))),
      );
      expect([...(long.json.originalName as string)].length).toBe(120);
      expect(long.json.originalName).toMatch(/x…\.png$/);
    });

    it('compute on the server right after the upload (workers started before it)', async () => {
      const teacher = await instructor();
      const answer = await ask(teacher, { kind: 'predict', modelId: 'mnist-cnn', imageId: id });
      teacher.close();
      expect(answer.ok && answer.value.status, JSON.stringify(answer)).toBe('done');
    });

    it('serve the pixels a browser computes from', async () => {
      const res = await fetch(`${server.url}/api/pixels/mnist-cnn/${id}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-image-height')).toBe('28');
      expect((await res.arrayBuffer()).byteLength).toBe(28 * 28);
    });

    it('cannot be enumerated: not listed, and refused as a top-activating image set', async () => {
      const listing = await call('/api/images');
      expect(listing.text).not.toContain(id);
      const teacher = await instructor();
      const answer = await ask(teacher, {
        kind: 'top-activating',
        modelId: 'mnist-cnn',
        imageSetId: 'uploads',
        layer: 'conv1',
        channels: [0],
        k: 4,
      });
      teacher.close();
      expect(answer.ok).toBe(false);
      expect(JSON.stringify(answer)).not.toContain(id.slice('uploads/'.length, 20));
      if (!answer.ok) expect(answer.error.message).toMatch(/image set "uploads" cannot be read whole/);
    });

    it('an image that no longer decodes fails with its file name only', async () => {
      const broken = `uploads/${'a'.repeat(32)}.png`;
      const pixels = await call(`/api/pixels/mnist-cnn/${broken}`);
      expect(pixels.status).toBe(422);
      expect(pixels.json.error.message).toMatch(new RegExp(`cannot decode image ${'a'.repeat(32)}\\.png`));
      const teacher = await instructor();
      const answer = await ask(teacher, { kind: 'predict', modelId: 'mnist-cnn', imageId: broken });
      teacher.close();
      expect(answer.ok).toBe(false);
      if (!answer.ok) expect(answer.error.message).toMatch(/cannot decode image a+\.png/);
    });
  });

  describe('catalog images', () => {
    it('carry a human label where one is known: the digit, the ImageNet class', async () => {
      const { json: listing } = await call('/api/images');
      const sets = listing.sets as { id: string; images: { file: string; label?: string }[] }[];
      const image = (set: string, file: string) =>
        sets.find((s) => s.id === set)?.images.find((i) => i.file === file);
      expect(image('mnist', '003-0.png')?.label).toBe('0');
      if (!sets.some((s) => s.id === 'imagenet-sample'))
        return console.warn('no packs: pack labels not checked');
      expect(image('imagenet-sample', 'n01440764_tench.JPEG')?.label).toMatch(/^tench/);
      expect(image('imagenet-sample', "n03590841_jack-o'-lantern.JPEG")?.label).toMatch(/^jack-o'-lantern/);
      expect(sets.find((s) => s.id === 'imagenet-sample')?.images.every((i) => i.label)).toBe(true);
      expect(image('tiny-imagenet', 'panda_1.jpeg')?.label).toBe('red panda');
    });
  });

  it('never shows a client a server path, in any response or acknowledgement above', () => {
    expect(seen.length).toBeGreaterThan(20);
    const secrets = [PROJECT_ROOT.replace(/\/$/, ''), scratch, modelPaths().packsDir, tmpdir()];
    for (const text of seen) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });

  function json(body: unknown): RequestInit {
    return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  }

  async function instructor(): Promise<TestParticipant> {
    const session = await createSession(server.url);
    return TestParticipant.join(server.url, {
      joinCode: session.joinCode,
      instructorKey: session.instructorKey,
    });
  }

  async function ask(participant: TestParticipant, request: unknown): Promise<Response<ComputeAccepted>> {
    const answer = await participant.request<ComputeAccepted>('compute:request', request);
    seen.push(JSON.stringify(answer));
    return answer;
  }
});

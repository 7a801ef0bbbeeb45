import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { availableModel, listModels, ModelUnavailableError } from '@/server/models/catalog';
import { modelPaths } from '@/server/models/paths';

const builtin = join(modelPaths().builtinDir, 'mnist-cnn');
const scratch = mkdtempSync(join(tmpdir(), 'convlens-catalog-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the built-in model as an upload folder, with its manifest edited. */
function folder(
  uploadsDir: string,
  name: string,
  edit: (manifest: Record<string, unknown>) => void = () => {},
) {
  const dir = join(uploadsDir, name);
  cpSync(builtin, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  manifest.id = name;
  edit(manifest);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

describe('the model catalog', () => {
  it('lists every good entry and marks each bad one unavailable with a reason free of server paths', async () => {
    const uploadsDir = join(scratch, 'uploads');
    mkdirSync(uploadsDir);
    folder(uploadsDir, 'upload-good');
    folder(uploadsDir, 'upload-empty-labels', (m) => {
      m.labels = [];
    });
    folder(uploadsDir, 'upload-other-id', (m) => {
      m.id = 'mnist-cnn';
    });
    folder(uploadsDir, 'upload-three-labels', (m) => {
      m.labels = ['a', 'b', 'c'];
    });
    rmSync(join(folder(uploadsDir, 'upload-no-weights'), 'weights.bin'));
    writeFileSync(join(folder(uploadsDir, 'upload-bad-json'), 'model.json'), '{');
    mkdirSync(join(uploadsDir, 'upload-empty'));
    mkdirSync(join(uploadsDir, '.staging-upload-x-1'));

    const warnings: object[] = [];
    const log = { warn: (details: object) => warnings.push(details) };
    const listed = await listModels({ paths: { uploadsDir }, log });
    const uploads = Object.fromEntries(listed.filter((m) => m.kind === 'upload').map((m) => [m.id, m]));
    expect(Object.keys(uploads).sort()).toEqual([
      'upload-bad-json',
      'upload-empty',
      'upload-empty-labels',
      'upload-good',
      'upload-no-weights',
      'upload-other-id',
      'upload-three-labels',
    ]);
    expect(uploads['upload-good']).toMatchObject({ available: true });
    expect(uploads['upload-good'].problem).toBeUndefined();
    const problems = Object.fromEntries(Object.entries(uploads).map(([id, m]) => [id, m.problem ?? '']));
    expect(problems['upload-empty-labels']).toMatch(/labels: .*>=1/);
    expect(problems['upload-other-id']).toMatch(/id "mnist-cnn" differs from the folder name/);
    expect(problems['upload-three-labels']).toMatch(/labels lists 3 names but the model has 10 outputs/);
    expect(problems['upload-no-weights']).toMatch(/weight file "weights\.bin" is missing/);
    expect(problems['upload-bad-json']).toMatch(/model\.json is not JSON/);
    expect(problems['upload-empty']).toMatch(/cannot read upload-empty\/manifest\.json \(ENOENT\)/);
    for (const problem of Object.values(problems)) expect(problem).not.toContain(scratch);
    expect(listed.find((m) => m.id === 'mnist-cnn')).toMatchObject({ kind: 'builtin', available: true });

    // Each skipped entry is logged once, however often the catalog is read.
    expect(warnings).toHaveLength(6);
    await listModels({ paths: { uploadsDir }, log });
    expect(warnings).toHaveLength(6);

    await expect(availableModel('upload-good', { paths: { uploadsDir } })).resolves.toMatchObject({
      id: 'upload-good',
    });
    await expect(availableModel('upload-three-labels', { paths: { uploadsDir } })).rejects.toThrow(
      ModelUnavailableError,
    );
    await expect(availableModel('nothing', { paths: { uploadsDir } })).rejects.toThrow(
      'unknown model "nothing"',
    );
  });

  it('re-checks an entry when its files change', async () => {
    const uploadsDir = join(scratch, 'changing');
    mkdirSync(uploadsDir);
    const dir = folder(uploadsDir, 'upload-fixed', (m) => {
      m.labels = ['just one'];
    });
    const before = await availableModel('upload-fixed', { paths: { uploadsDir } }).catch(
      (e: Error) => e.message,
    );
    expect(before).toMatch(/cannot be used: .*labels lists 1 names/);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    delete manifest.labels;
    manifest.name = 'Fixed';
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 1));
    await expect(availableModel('upload-fixed', { paths: { uploadsDir } })).resolves.toMatchObject({
      name: 'Fixed',
    });
  });
});

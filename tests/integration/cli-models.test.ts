// The model CLI end to end: spawned as `node --import tsx cli/index.ts …`, as `npm run cli --` runs it.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelPaths, PROJECT_ROOT } from '@/server/models/paths';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'cli/index.ts', ...args],
      { cwd: PROJECT_ROOT, timeout: 60_000, env: { ...process.env, CONVLENS_BACKEND: 'wasm' } },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

function json<T>(run: Run): T {
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as T;
}

const digit = 'public/images/mnist/001-7.png';
const packsDir = modelPaths().packsDir;
const packsPresent = existsSync(join(packsDir, 'models/mobilenet_v1_0.75_224/model.json'));

describe('npm run cli', () => {
  it.concurrent('models: the built-in model and the packs', async () => {
    const models = json<{ id: string; available: boolean }[]>(await cli('models', '--json'));
    expect(models[0]).toMatchObject({ id: 'mnist-cnn', available: true });
    expect(models.map((m) => m.id)).toContain('mobilenet-v1-0.75');
  });

  it.concurrent('info: manifest and layers', async () => {
    const info = json<{
      manifest: { id: string; labels: string[] };
      layers: { name: string; kind: string }[];
    }>(await cli('info', '--model', 'mnist-cnn', '--json'));
    expect(info.manifest.id).toBe('mnist-cnn');
    expect(info.manifest.labels).toHaveLength(10);
    expect(info.layers[0].kind).toBe('input');
    expect(info.layers.map((l) => l.name)).toContain('conv1');
    const text = await cli('info');
    expect(text.stdout).toMatch(/^Digits CNN \(built in\) \(mnist-cnn\)/);
    expect(text.stdout).toMatch(/accuracy: 9\d\.\d\d% on 2000 held-out digits/);
  });

  it.concurrent('rf --json: one entry per layer', async () => {
    const rows = json<
      { name: string; kind: string; outputShape: number[]; rf: number[]; jump: number[]; start: number[] }[]
    >(await cli('rf', '--model', 'mnist-cnn', '--json'));
    expect(rows.find((r) => r.name === 'conv1')).toEqual({
      name: 'conv1',
      kind: 'conv2d',
      outputShape: [28, 28, 16],
      rf: [5, 5],
      jump: [1, 1],
      start: [-2, -2],
    });
    expect(rows.find((r) => r.name === 'pool1')).toMatchObject({ rf: [6, 6], jump: [2, 2], start: [-2, -2] });
    expect(rows.find((r) => r.name === 'conv2')).toMatchObject({
      rf: [10, 10],
      jump: [2, 2],
      start: [-4, -4],
    });
  });

  it.concurrent('rf --neuron: the half-open box, unclipped and clipped', async () => {
    const corner = json<{ box: number[]; clipped: number[] }>(
      await cli('rf', '--neuron', 'conv1,0,0', '--json'),
    );
    expect(corner).toEqual({ box: [-2, -2, 3, 3], clipped: [0, 0, 3, 3] });
    const inner = json<{ box: number[]; clipped: number[] }>(
      await cli('rf', '--neuron', 'conv2,3,5', '--json'),
    );
    expect(inner).toEqual({ box: [2, 6, 12, 16], clipped: [2, 6, 12, 16] });
  });

  it.concurrent('predict --top: the digit in a held-out image', async () => {
    const top = json<{ index: number; label: string; prob: number }[]>(
      await cli('predict', '--image', digit, '--top', '3', '--json'),
    );
    expect(top).toHaveLength(3);
    expect(top[0]).toMatchObject({ index: 7, label: '7' });
    expect(top[0].prob).toBeGreaterThan(0.9);
    expect(top[0].prob).toBeGreaterThanOrEqual(top[1].prob);
  });

  it.concurrent('predict on the packs: softmax output and logits output', async (context) => {
    if (!packsPresent) context.skip(`packs not found at ${packsDir}`);
    const pomeranian = join(packsDir, 'images/test-images/dog_pomeranian.JPEG');
    const [mobile, darknet] = await Promise.all([
      cli('predict', '--model', 'mobilenet-v1-0.75', '--image', pomeranian, '--top', '5', '--json'),
      cli('predict', '--model', 'darknet-tiny', '--image', pomeranian, '--top', '5', '--json'),
    ]);
    const mobileTop = json<{ index: number; label: string; prob: number }[]>(mobile);
    expect(mobileTop[0]).toMatchObject({ index: 259, label: 'Pomeranian' });
    expect(mobileTop[0].prob).toBeGreaterThan(0.85);
    const darknetTop = json<{ label: string; prob: number }[]>(darknet);
    expect(darknetTop[0].label).toBe('Pomeranian');
    const total = darknetTop.reduce((sum, row) => sum + row.prob, 0);
    expect(total).toBeGreaterThan(0.5); // softmax applied to the logits: probabilities, not scores
    expect(total).toBeLessThanOrEqual(1.0001);
  });

  it.concurrent('fails with a one-line message and a non-zero exit', async () => {
    const [model, image, layer, neuron, command, option] = await Promise.all([
      cli('info', '--model', 'no-such-model'),
      cli('predict', '--image', 'no/such.png'),
      cli('rf', '--neuron', 'conv9,0,0'),
      cli('rf', '--neuron', 'conv1,zero,0'),
      cli('frobnicate'),
      cli('rf', '--colour', 'blue'),
    ]);
    for (const run of [model, image, layer, neuron, command, option]) {
      expect(run.code).not.toBe(0);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(model.stderr).toMatch(/^error: cannot load model "no-such-model": unknown model/);
    expect(image.stderr).toMatch(/^error: cannot decode image such\.png: .*no\/such\.png/);
    expect(layer.stderr).toMatch(/^error: unknown layer "conv9" in model mnist-cnn/);
    expect(neuron.stderr).toMatch(/^error: --neuron expects <layer>,<y>,<x>/);
    expect(neuron.code).toBe(2);
    expect(command.stderr).toMatch(
      /^error: unknown command "frobnicate" \(commands: models, info, rf, predict/,
    );
    expect(option.stderr).toMatch(/^error: Unknown option '--colour'/);
  });

  it.concurrent('rf --neuron outside the layer names its size', async () => {
    const run = await cli('rf', '--neuron', 'conv1,28,0');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: neuron \(28, 0\) is outside layer conv1, whose output is 28×28/);
  });
});

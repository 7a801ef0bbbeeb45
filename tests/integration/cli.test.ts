// The CLI commands end to end on the built-in MNIST model: JSON shapes and the PNG files.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const digits = path.join(root, 'public/images/mnist');
const out = mkdtempSync(path.join(tmpdir(), 'viz-cli-'));

async function cli(...args: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'cli/index.ts', ...args, '--json'], {
    cwd: root,
    env: { ...process.env, CONVLENS_BACKEND: 'wasm' },
    maxBuffer: 64 * 2 ** 20,
  });
  return JSON.parse(stdout);
}

describe('viz CLI', () => {
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('occlusion prints the map and writes the heatmap', async () => {
    const png = path.join(out, 'occlusion.png');
    const image = path.join(digits, '000-4.png');
    const map = (await cli('occlusion', '--image', image, '--patch', '8', '--stride', '4', '--png', png)) as {
      rows: number;
      cols: number;
      classIndex: number;
      baseProb: number;
      prob: number[];
      drop: number[];
    };
    expect(Object.keys(map).sort()).toEqual(['baseProb', 'classIndex', 'cols', 'drop', 'prob', 'rows']);
    expect([map.rows, map.cols]).toEqual([6, 6]);
    expect(map.classIndex).toBe(4);
    expect(map.prob).toHaveLength(36);
    for (const [i, d] of map.drop.entries()) expect(d).toBeCloseTo(map.baseProb - map.prob[i], 6);
    expect((await sharp(png).metadata()).format).toBe('png');
  });

  it('filters and top print JSON', async () => {
    const filters = (await cli('filters', '--layer', 'conv1', '--png', path.join(out, 'f.png'))) as {
      count: number;
      filters: number[][];
      similarity: { matrix: number[][]; order: number[] };
    };
    expect(filters.filters).toHaveLength(filters.count);
    expect(filters.similarity.matrix).toHaveLength(filters.count);
    const top = (await cli(
      'top',
      '--layer',
      'conv2',
      '--images',
      digits,
      '--limit',
      '10',
      '--channels',
      '0,3',
      '--k',
      '3',
    )) as {
      imagesSeen: number;
      channels: { channel: number; top: { imageId: string; box: number[] }[] }[];
    };
    expect(top.imagesSeen).toBe(10);
    expect(top.channels.map((c) => c.channel)).toEqual([0, 3]);
    expect(top.channels[0].top).toHaveLength(3);
  });
});

// `npm run cli -- dream` end to end on the built-in model: the activation it reached, the PNG it wrote.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const out = mkdtempSync(path.join(tmpdir(), 'dream-cli-'));

function cli(...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'cli/index.ts', 'dream', ...args], {
    cwd: root,
    env: { ...process.env, CONVLENS_BACKEND: 'wasm' },
  });
}

describe('dream CLI', () => {
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('prints the activation reached, the best photo of a folder, and writes the images', async () => {
    const png = path.join(out, 'dream.png');
    const digits = path.join(root, 'public/images/mnist');
    const { stdout } = await cli(
      ...['--layer', 'conv2', '--channel', '3', '--steps', '8', '--images', '2', '--diversity', '0.5'],
      ...['--compare', digits, '--limit', '20', '--png', png, '--json'],
    );
    const json = JSON.parse(stdout) as {
      values: number[];
      selectivity: number[];
      bestPhoto: { imageId: string; value: number; of: number };
    };
    expect(json.values).toHaveLength(2);
    expect(json.selectivity).toHaveLength(2);
    expect(json.bestPhoto.of).toBe(20);
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.height]).toEqual(['png', 224]);
    expect(meta.width).toBe(2 * 224 + 8);
  }, 120_000);

  it('names what is missing from its arguments', async () => {
    await expect(cli('--layer', 'conv2')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('give --layer and --channel'),
    });
  }, 120_000);
});

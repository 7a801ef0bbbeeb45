// WebGPU on the server computes what wasm computes: the browser parity suite (predict, occlusion batched and
// incremental, a probe, activations, top-activating, filters), held to the same tolerances, run in a child
// process on Dawn over SwiftShader's Vulkan driver: a CPU pretending to be a GPU, so the server would never
// choose it by itself (CONVLENS_BACKEND=webgpu forces it) and it is slow, hence small inputs for the pack model.
// Tolerances: the browser parity test's (parity-compare.ts: probabilities 1e-4 absolute, values 1e-3 relative).
// Measured here, WebGPU on SwiftShader differs from wasm by at most 8e-7 on every output (MNIST CNN and TinyVGG);
// real GPUs may accumulate in other orders, and the same tolerances hold the browser's webgl to wasm.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedModel } from '@/lib/models/types';
import { decodeForModel } from '@/server/images/decode';
import { largestDifference, PROB_TOLERANCE, parityMismatches } from '../browser/fixtures/parity-compare';
import { type ParityInputs, type ParityResults, runParitySuite } from '../browser/fixtures/parity-suite';
import { hasPacks, packs, tf, useBackend } from '../unit/viz/helpers';
import { BATCH_NORM_NET, loadParityModel, patternImage } from './fixtures/parity-models';
import type { WebGpuRunInput, WebGpuRunOutput } from './fixtures/webgpu-parity-run';

const root = path.resolve(import.meta.dirname, '../..');
const icd = swiftShaderIcd();
const vulkanLoader = hasVulkanLoader();

/** SwiftShader's Vulkan driver ships with Debian's chromium: `dpkg -S` finds it wherever it lives. */
function swiftShaderIcd(): string | null {
  try {
    const owners = execFileSync('dpkg', ['-S', 'vk_swiftshader_icd.json'], { encoding: 'utf8' });
    const found = owners
      .split('\n')
      .map((line) => line.split(': ')[1]?.trim())
      .find((file) => file && existsSync(file));
    if (found) return found;
  } catch {
    // No dpkg, or no package owns it.
  }
  return existsSync('/usr/lib/chromium/vk_swiftshader_icd.json')
    ? '/usr/lib/chromium/vk_swiftshader_icd.json'
    : null;
}

function hasVulkanLoader(): boolean {
  try {
    return execFileSync('ldconfig', ['-p'], { encoding: 'utf8' }).includes('libvulkan.so.1');
  } catch {
    return false;
  }
}

interface Case {
  modelId: string;
  /** The images' pixels at the model's input size. */
  images: (loaded: LoadedModel) => Promise<ParityInputs['images']>;
  layer: string;
  patch: number;
  stride: number;
}

function imageFiles(dir: string, count: number): Case['images'] {
  return async (loaded) => {
    const files = readdirSync(dir)
      .filter((f) => /\.(png|jpe?g)$/i.test(f))
      .sort()
      .slice(0, count);
    return Promise.all(
      files.map(async (file) => ({
        id: file,
        data: Array.from((await decodeForModel(path.join(dir, file), loaded.manifest)).data),
      })),
    );
  };
}

// The built-in model as the browser parity test runs it; the batch-norm network, whose batch norms incremental
// occlusion folds; TinyVGG (the smallest pack model) on a 2×2 occlusion grid and 3 images: on SwiftShader one of
// its forward passes takes over a second of CPU.
const mnist: Case = {
  modelId: 'mnist-cnn',
  images: imageFiles(path.join(root, 'public/images/mnist'), 6),
  layer: 'conv2',
  patch: 8,
  stride: 4,
};
const batchNormNet: Case = {
  modelId: BATCH_NORM_NET,
  images: async () => [1, 2, 3].map((seed) => ({ id: `pattern-${seed}`, data: patternImage(seed) })),
  layer: 'pw_relu',
  patch: 8,
  stride: 8,
};
const tinyvgg: Case = {
  modelId: 'tinyvgg',
  images: imageFiles(path.join(packs, 'images/cnn-explainer-tiny-imagenet'), 3),
  layer: 'conv_1_2',
  patch: 32,
  stride: 32,
};

async function inputsFor(testCase: Case): Promise<ParityInputs> {
  const loaded = await loadParityModel(tf, testCase.modelId);
  const images = await testCase.images(loaded);
  loaded.dispose();
  return { images, layer: testCase.layer, patch: testCase.patch, stride: testCase.stride };
}

function runOnWebGpu(inputFile: string, runtimeDir: string, icdFile: string): Promise<WebGpuRunOutput> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures/webgpu-parity-run.ts'), inputFile],
      {
        cwd: root,
        maxBuffer: 64 * 1024 * 1024,
        env: {
          ...process.env,
          CONVLENS_BACKEND: 'webgpu',
          VK_ICD_FILENAMES: icdFile,
          XDG_RUNTIME_DIR: runtimeDir,
          LOG_LEVEL: 'silent',
        },
      },
      // The child must exit by itself: a Dawn device left open would keep it running until the test times out.
      (error, stdout, stderr) => {
        if (error) reject(new Error(`the WebGPU run failed: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as WebGpuRunOutput);
      },
    );
  });
}

describe.skipIf(!icd || !vulkanLoader)('WebGPU in Node (Dawn on SwiftShader)', () => {
  let workDir: string;
  beforeAll(() => {
    workDir = mkdtempSync(path.join(tmpdir(), 'webgpu-parity-'));
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('gives the numbers wasm gives, on the main thread and in the worker pool, and lets the process exit', async () => {
    await useBackend('wasm');
    const cases = hasPacks ? [mnist, batchNormNet, tinyvgg] : [mnist, batchNormNet];
    if (!hasPacks) console.warn('webgpu-parity: ../shared/packs is absent, so only the built-in model runs');
    const input: WebGpuRunInput = {
      cases: await Promise.all(cases.map(async (c) => ({ modelId: c.modelId, inputs: await inputsFor(c) }))),
      poolRequest: { kind: 'predict', modelId: 'mnist-cnn', imageId: 'mnist/000-4.png' },
    };
    const inputFile = path.join(workDir, 'input.json');
    writeFileSync(inputFile, JSON.stringify(input));
    // XDG_RUNTIME_DIR must be a private directory of this user; mkdtemp makes it 0700.
    const gpu = runOnWebGpu(inputFile, mkdtempSync(path.join(workDir, 'xdg-')), icd!);

    const before = tf.memory().numTensors;
    const reference: ParityResults[] = [];
    for (const { modelId, inputs } of input.cases) {
      const loaded = await loadParityModel(tf, modelId);
      reference.push(await runParitySuite(tf, loaded, inputs));
      loaded.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);

    const out = await gpu;
    expect(out.backend).toEqual({ name: 'webgpu', adapter: 'SwiftShader driver 5.0.0' });
    for (const [i, suite] of out.suites.entries()) {
      expect(suite.backend).toBe('webgpu');
      expect(suite.leaked, `${input.cases[i].modelId}: tensors left on webgpu`).toBe(0);
      expect(parityMismatches(suite, reference[i]), input.cases[i].modelId).toEqual([]);
    }
    // The worker pool chose WebGPU too, and says so in the label results carry.
    expect(out.pool.backend).toBe('webgpu: SwiftShader driver 5.0.0');
    expect(largestDifference(out.pool.probs, reference[0].probs, PROB_TOLERANCE)).toBeNull();
    console.info(
      `webgpu-parity (SwiftShader): ${out.suites.map((s, i) => `${input.cases[i].modelId} ${Math.round(s.ms / 1000)} s`).join(', ')}, worker pool ${Math.round(out.pool.ms / 1000)} s`,
    );
  }, 900_000);
});

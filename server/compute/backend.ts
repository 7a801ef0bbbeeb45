import * as tf from '@tensorflow/tfjs';
import { startWebGpu, stopWebGpu } from './webgpu';

export const COMPUTE_BACKENDS = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type ComputeBackend = (typeof COMPUTE_BACKENDS)[number];

export interface ActiveBackend {
  name: ComputeBackend;
  /** The GPU adapter WebGPU runs on, e.g. "NVIDIA GeForce RTX 4090" or "SwiftShader driver 5.0.0". */
  adapter?: string;
}

type Attempt = { ok: true; adapter?: string } | { ok: false; reason: string };

let active: Promise<ActiveBackend> | undefined;

/**
 * Picks the fastest tfjs backend this machine has, in COMPUTE_BACKENDS order:
 * tfjs-node-gpu, WebGPU on a hardware adapter, tfjs-node, wasm (SIMD), cpu.
 * The native bindings are optional: imported only if installed. CONVLENS_BACKEND
 * forces one; only then may WebGPU run on a software adapter (SwiftShader in tests).
 */
export function initComputeBackend(): Promise<ActiveBackend> {
  active ??= choose(process.env.CONVLENS_BACKEND);
  return active;
}

/** The backends to try, in order: all of them, or the one CONVLENS_BACKEND names. */
export function backendOrder(forced: string | undefined): ComputeBackend[] {
  if (!forced) return [...COMPUTE_BACKENDS];
  if (!(COMPUTE_BACKENDS as readonly string[]).includes(forced)) {
    throw new Error(`CONVLENS_BACKEND="${forced}" is not one of ${COMPUTE_BACKENDS.join(', ')}`);
  }
  return [forced as ComputeBackend];
}

/** How results computed here say where they come from: "wasm", or "webgpu: <adapter>". */
export function backendLabel(backend: ActiveBackend): string {
  return backend.adapter ? `${backend.name}: ${backend.adapter}` : backend.name;
}

/** Lets go of what keeps a thread alive (Dawn's device); the next init chooses again. */
export function releaseComputeBackend(): void {
  stopWebGpu(tf);
  active = undefined;
}

async function choose(forced: string | undefined): Promise<ActiveBackend> {
  const failures: string[] = [];
  for (const name of backendOrder(forced)) {
    const attempt = await tryBackend(name, { forced: Boolean(forced) });
    if (attempt.ok) return attempt.adapter ? { name, adapter: attempt.adapter } : { name };
    failures.push(`${name}: ${attempt.reason}`);
  }
  throw new Error(`no tfjs backend could start (${failures.join('; ')})`);
}

async function tryBackend(name: ComputeBackend, { forced }: { forced: boolean }): Promise<Attempt> {
  try {
    if (name === 'webgpu') return await startWebGpu(tf, { allowSoftware: forced });
    if (name === 'tensorflow-gpu') await optionalImport('@tensorflow/tfjs-node-gpu');
    if (name === 'tensorflow') await optionalImport('@tensorflow/tfjs-node');
    if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
    const registered = name === 'tensorflow-gpu' ? 'tensorflow' : name;
    if (!(await tf.setBackend(registered))) return { ok: false, reason: 'did not start' };
    await tf.ready();
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  }
}

// A variable specifier keeps bundlers and tsc from requiring the optional package.
async function optionalImport(specifier: string): Promise<unknown> {
  try {
    return await import(/* webpackIgnore: true */ specifier);
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') throw new Error('not installed');
    throw error;
  }
}

export { tf };

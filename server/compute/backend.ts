import * as tf from '@tensorflow/tfjs';

export type ComputeBackend = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

let active: Promise<ComputeBackend> | undefined;

/**
 * Picks the fastest tfjs backend this machine has: tfjs-node-gpu, tfjs-node,
 * wasm (SIMD), then cpu. The native bindings are optional: they are imported
 * only if installed, so a machine without them still starts.
 * CONVLENS_BACKEND forces one (e.g. "cpu" in tests).
 */
export function initComputeBackend(): Promise<ComputeBackend> {
  active ??= choose();
  return active;
}

async function choose(): Promise<ComputeBackend> {
  const forced = process.env.CONVLENS_BACKEND as ComputeBackend | undefined;
  const order: ComputeBackend[] = forced ? [forced] : ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
  for (const name of order) {
    if (await tryBackend(name)) return name;
  }
  throw new Error(`no tfjs backend could start (tried ${order.join(', ')})`);
}

async function tryBackend(name: ComputeBackend): Promise<boolean> {
  try {
    if (name === 'tensorflow-gpu') await optionalImport('@tensorflow/tfjs-node-gpu');
    if (name === 'tensorflow') await optionalImport('@tensorflow/tfjs-node');
    if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
    const registered = name === 'tensorflow-gpu' ? 'tensorflow' : name;
    if (!(await tf.setBackend(registered))) return false;
    await tf.ready();
    return true;
  } catch {
    return false;
  }
}

// A variable specifier keeps bundlers and tsc from requiring the optional package.
function optionalImport(specifier: string): Promise<unknown> {
  return import(/* webpackIgnore: true */ specifier);
}

export { tf };

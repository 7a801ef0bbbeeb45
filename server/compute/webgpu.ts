// WebGPU in Node: Dawn (the `webgpu` package) provides the navigator.gpu that
// @tensorflow/tfjs-backend-webgpu expects from a browser.
import type { Tf } from '../../lib/tf';
import { mayHaveGpu } from './gpu-devices';
import { type AdapterFacts, adapterName, isSoftwareAdapter } from './webgpu-adapter';

export type WebGpuStart = { ok: true; adapter: string } | { ok: false; reason: string };

interface DeviceHolder {
  device?: GPUDevice & { adapterInfo?: AdapterFacts };
}

/**
 * Starts tfjs's webgpu backend on this thread's best adapter. A software adapter
 * (SwiftShader, llvmpipe: a CPU pretending to be a GPU, slower than wasm) is
 * refused unless `allowSoftware`. On refusal nothing of Dawn stays referenced.
 */
export async function startWebGpu(tf: Tf, options: { allowSoftware: boolean }): Promise<WebGpuStart> {
  if (!options.allowSoftware && !mayHaveGpu()) {
    return {
      ok: false,
      reason: 'no GPU device on this machine (no /dev/dri render node, /dev/nvidia0 or /dev/dxg)',
    };
  }
  let dawn: typeof import('webgpu');
  try {
    dawn = await import('webgpu');
  } catch {
    return { ok: false, reason: 'the webgpu package (Dawn) does not load on this platform' };
  }
  for (const [name, value] of Object.entries(dawn.globals)) {
    if (!(name in globalThis))
      Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  const gpu = dawn.create([]);
  // Ask first, so a machine without a usable adapter never creates a device.
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return { ok: false, reason: 'no WebGPU adapter (no GPU driver Dawn can use)' };
  if (isSoftwareAdapter(adapter.info) && !options.allowSoftware) {
    return { ok: false, reason: `${adapterName(adapter.info)} is a software adapter` };
  }

  setNavigatorGpu(gpu);
  // Imported only now: it registers its backend only where navigator.gpu exists.
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend('webgpu'))) {
    stopWebGpu(tf);
    return { ok: false, reason: 'the tfjs webgpu backend did not start' };
  }
  await tf.ready();
  // The device's own adapter is the truth: tfjs asked for the adapter itself.
  const info = (tf.backend() as DeviceHolder).device?.adapterInfo ?? adapter.info;
  if (isSoftwareAdapter(info) && !options.allowSoftware) {
    stopWebGpu(tf);
    return { ok: false, reason: `${adapterName(info)} is a software adapter` };
  }
  return { ok: true, adapter: adapterName(info) };
}

/** Releases the device and Dawn's instance, so this thread (or process) can exit. */
export function stopWebGpu(tf: Tf): void {
  const engine = tf.engine();
  const device = (engine.registry.webgpu as DeviceHolder | undefined)?.device;
  if (engine.registryFactory.webgpu) tf.removeBackend('webgpu');
  device?.destroy();
  setNavigatorGpu(undefined);
}

// Node 20 has no navigator; Node 21 and later have one, without gpu.
function setNavigatorGpu(gpu: GPU | undefined): void {
  const scope = globalThis as { navigator?: { gpu?: GPU } };
  if (gpu) {
    scope.navigator ??= {};
    Object.defineProperty(scope.navigator, 'gpu', { value: gpu, configurable: true });
  } else if (scope.navigator && 'gpu' in scope.navigator) {
    delete scope.navigator.gpu;
  }
}

/** What a WebGPU adapter says about itself (GPUAdapterInfo); Dawn fills every field, others may not. */
export interface AdapterFacts {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

// CPU implementations of Vulkan, D3D and Metal that present themselves as GPUs: SwiftShader (Chromium),
// llvmpipe/lavapipe/softpipe (Mesa), WARP (Windows' Basic Render Driver). Some do not set isFallbackAdapter.
const SOFTWARE_NAMES = /swiftshader|llvmpipe|lavapipe|softpipe|basic render|\bwarp\b/i;

/** True when the adapter computes on the CPU: never worth choosing over wasm automatically. */
export function isSoftwareAdapter(info: AdapterFacts): boolean {
  if (info.isFallbackAdapter) return true;
  return [info.vendor, info.architecture, info.device, info.description].some(
    (field) => field !== undefined && SOFTWARE_NAMES.test(field),
  );
}

/** A readable name: the driver's description when it gives one, else vendor, architecture and device. */
export function adapterName(info: AdapterFacts): string {
  const description = info.description?.trim();
  if (description) return description;
  const parts = [info.vendor, info.architecture, info.device].map((p) => p?.trim()).filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : 'unknown adapter';
}

// Whether this machine has a GPU device at all, before Dawn is loaded to ask. On Linux without one, Dawn can only
// find a software adapter, which the automatic choice refuses anyway, and loading it there has aborted the
// process now and then (a native exception thrown outside JavaScript: "FATAL ERROR ... napi_throw").
import { existsSync, readdirSync } from 'node:fs';

/** False only where the absence is certain: Linux with no DRM render node, NVIDIA device or WSL GPU. */
export function mayHaveGpu(platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== 'linux') return true;
  if (existsSync('/dev/nvidia0') || existsSync('/dev/dxg')) return true;
  try {
    return readdirSync('/dev/dri').some((name) => name.startsWith('renderD'));
  } catch {
    return false;
  }
}

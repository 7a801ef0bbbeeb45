// Where models live on disk: built-ins under public/models, packs under CONVLENS_PACKS_DIR, downloads under
// data/models-cache.
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ModelPaths {
  /** public/models: one folder per built-in model with manifest.json, model.json and weights. */
  builtinDir: string;
  /** The shared packs folder (README.md, models/, labels/, images/). */
  packsDir: string;
  /** Downloaded models, one folder per URL. */
  cacheDir: string;
  /** Accepted uploads, one folder per model id (upload-<hash>). */
  uploadsDir: string;
}

export function modelPaths(overrides: Partial<ModelPaths> = {}): ModelPaths {
  return {
    builtinDir: overrides.builtinDir ?? resolve(PROJECT_ROOT, 'public/models'),
    packsDir: overrides.packsDir ?? packsDirFromEnv(),
    cacheDir: overrides.cacheDir ?? resolve(PROJECT_ROOT, 'data/models-cache'),
    uploadsDir:
      overrides.uploadsDir ??
      resolve(PROJECT_ROOT, process.env.CONVLENS_MODEL_UPLOADS_DIR ?? 'data/models-uploads'),
  };
}

/** CONVLENS_PACKS_DIR, relative to the project root when not absolute; ../shared/packs by default. */
export function packsDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.CONVLENS_PACKS_DIR ?? '../shared/packs';
  return isAbsolute(configured) ? configured : resolve(PROJECT_ROOT, configured);
}

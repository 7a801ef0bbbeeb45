import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseModelJson, weightPaths } from '../../lib/models/model-json';
import type { ModelManifest } from '../../lib/models/types';
import { listModels, resolveModelSource } from '../models/load';

export interface ServedModel {
  manifest: ModelManifest;
  directory: string;
  /** model.json and its weight files: the only names served from the directory. */
  files: Set<string>;
}

/**
 * Built-in and pack models as files a browser can load over HTTP
 * (/api/models/<id>/manifest.json, then model.json and weights beside it),
 * so the browser computes with exactly the weights the server uses.
 */
export class ModelFiles {
  private readonly served = new Map<string, Promise<ServedModel>>();

  async list() {
    return (await listModels()).filter((m) => m.available).map(({ id, name, kind }) => ({ id, name, kind }));
  }

  get(modelId: string): Promise<ServedModel> {
    let entry = this.served.get(modelId);
    if (!entry) {
      entry = this.load(modelId);
      this.served.set(modelId, entry);
      entry.catch(() => this.served.delete(modelId));
    }
    return entry;
  }

  private async load(modelId: string): Promise<ServedModel> {
    const listed = (await listModels()).find((m) => m.id === modelId && m.available);
    if (!listed) throw new Error(`unknown model "${modelId}"`);
    const source = await resolveModelSource(modelId);
    const directory = listed.location;
    const modelJson = parseModelJson(await readFile(join(directory, source.manifest.modelUrl), 'utf8'));
    const files = new Set([source.manifest.modelUrl, ...weightPaths(modelJson)]);
    return { manifest: { ...source.manifest, modelUrl: source.manifest.modelUrl }, directory, files };
  }
}

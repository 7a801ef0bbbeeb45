import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseModelJson, weightPaths } from '../../lib/models/model-json';
import type { ModelManifest } from '../../lib/models/types';
import type { Logger } from '../log';
import { availableModel, listModels, type ModelListing } from '../models/catalog';
import { resolveModelSource } from '../models/load';
import { modelPaths } from '../models/paths';
import { sweepStaging } from '../models/upload-store';

export interface ServedModel {
  manifest: ModelManifest;
  directory: string;
  /** model.json and its weight files: the only names served from the directory. */
  files: Set<string>;
}

/** What a client sees of a catalog entry. */
export type ModelSummary = Pick<ModelListing, 'id' | 'name' | 'kind'>;

/**
 * The server's model catalog as files a browser can load over HTTP
 * (/api/models/<id>/manifest.json, then model.json and weights beside it),
 * so the browser computes with exactly the weights the server uses.
 * Entries that fail their checks are left out and logged, once each.
 */
export class ModelFiles {
  private readonly served = new Map<string, Promise<ServedModel>>();

  constructor(private readonly log?: Pick<Logger, 'warn'>) {}

  /** The catalog after removing staging folders a stopped server left behind. */
  static async open(log?: Logger): Promise<ModelFiles> {
    const swept = await sweepStaging(modelPaths().uploadsDir);
    if (swept.length > 0) log?.info({ swept }, 'removed unfinished model uploads');
    return new ModelFiles(log);
  }

  async list(): Promise<ModelSummary[]> {
    return (await listModels({ log: this.log }))
      .filter((m) => m.available)
      .map(({ id, name, kind }) => ({ id, name, kind }));
  }

  async has(modelId: string): Promise<boolean> {
    return availableModel(modelId, { log: this.log }).then(
      () => true,
      () => false,
    );
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
    const listed = await availableModel(modelId, { log: this.log });
    const source = await resolveModelSource(listed.id);
    const directory = listed.location;
    const modelJson = parseModelJson(await readFile(join(directory, source.manifest.modelUrl), 'utf8'));
    const files = new Set([source.manifest.modelUrl, ...weightPaths(modelJson)]);
    return { manifest: source.manifest, directory, files };
  }
}

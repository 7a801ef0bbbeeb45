// Models from an https URL (a manifest.json or a model.json): downloaded once, checked like an upload, and
// kept under data/models-cache/<hash of the URL>/ so later loads work offline.
import { createHash } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveUrl } from '@/lib/models/load';
import { parseManifest } from '@/lib/models/manifest';
import {
  checkWeightFiles,
  DEFAULT_UPLOAD_LIMITS,
  type ModelJson,
  parseModelJson,
  type UploadLimits,
  weightPaths,
} from '@/lib/models/model-json';

export interface DownloadOptions {
  cacheDir: string;
  limits?: UploadLimits;
  fetchFunc?: typeof fetch;
  /** Per request. */
  timeoutMs?: number;
}

/** The cache folder for a URL, downloading it first if needed. The folder holds model.json (+ manifest.json). */
export async function downloadModel(url: string, options: DownloadOptions): Promise<string> {
  checkDownloadUrl(url);
  const directory = join(options.cacheDir, cacheKey(url));
  if (await exists(join(directory, 'model.json'))) return directory;
  const fetcher = new Fetcher(url, directory, options);
  const staging = `${directory}.partial-${process.pid}-${Date.now()}`;
  await mkdir(staging, { recursive: true });
  try {
    await fetcher.downloadInto(staging);
    await rm(directory, { recursive: true, force: true });
    await rename(staging, directory);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return directory;
}

/** https only; plain http only to this machine (development servers, tests). */
export function checkDownloadUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`"${url}" is not a URL`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
    throw new Error(`model URLs must use https (got ${parsed.protocol}//${parsed.host})`);
  }
}

export function cacheKey(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, 16);
}

class Fetcher {
  private readonly limits: UploadLimits;
  private readonly fetchFunc: typeof fetch;
  private readonly timeoutMs: number;

  constructor(
    private readonly url: string,
    private readonly cacheDirectory: string,
    options: DownloadOptions,
  ) {
    this.limits = options.limits ?? DEFAULT_UPLOAD_LIMITS;
    this.fetchFunc = options.fetchFunc ?? fetch;
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  async downloadInto(staging: string): Promise<void> {
    const first = await this.text(this.url, this.limits.maxModelJsonBytes);
    const json = parseJson(first, this.url);
    let modelJsonUrl = this.url;
    let modelJsonText = first;
    if (isManifestJson(json)) {
      const manifest = parseManifest(json, { where: this.url });
      modelJsonUrl = resolveUrl(this.url, manifest.modelUrl);
      checkDownloadUrl(modelJsonUrl);
      modelJsonText = await this.text(modelJsonUrl, this.limits.maxModelJsonBytes);
      await writeFile(
        join(staging, 'manifest.json'),
        `${JSON.stringify({ ...manifest, modelUrl: 'model.json' }, null, 2)}\n`,
      );
    }
    const modelJson = parseModelJson(modelJsonText, this.limits);
    const weights = await this.weights(modelJson, modelJsonUrl);
    for (const [path, data] of weights) {
      await mkdir(join(staging, path, '..'), { recursive: true });
      await writeFile(join(staging, path), data);
    }
    await writeFile(join(staging, 'model.json'), modelJsonText);
    await writeFile(
      join(staging, 'origin.json'),
      `${JSON.stringify({ url: this.url, downloadedAt: new Date().toISOString() })}\n`,
    );
  }

  private async weights(modelJson: ModelJson, modelJsonUrl: string): Promise<Map<string, Uint8Array>> {
    const files = new Map<string, Uint8Array>();
    let total = 0;
    for (const path of weightPaths(modelJson)) {
      const data = await this.bytes(resolveUrl(modelJsonUrl, path), this.limits.maxWeightBytes - total);
      total += data.byteLength;
      files.set(path, data);
    }
    checkWeightFiles(
      modelJson,
      new Map([...files].map(([path, data]) => [path, data.byteLength])),
      this.limits,
    );
    return files;
  }

  private async text(url: string, maxBytes: number): Promise<string> {
    return new TextDecoder().decode(await this.bytes(url, maxBytes));
  }

  private async bytes(url: string, maxBytes: number): Promise<Uint8Array> {
    let response: Response;
    try {
      response = await this.fetchFunc(url, {
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'follow',
      });
    } catch (error) {
      throw new Error(
        `cannot download ${url} (${networkReason(error)}): offline or the host is unreachable, and the model ` +
          `is not in the cache yet (${this.cacheDirectory})`,
      );
    }
    if (!response.ok)
      throw new Error(`cannot download ${url}: HTTP ${response.status} ${response.statusText}`);
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > maxBytes) throw new Error(`${url} is ${declared} bytes, over the limit of ${maxBytes}`);
    const data = new Uint8Array(await response.arrayBuffer());
    if (data.byteLength > maxBytes)
      throw new Error(`${url} is ${data.byteLength} bytes, over the limit of ${maxBytes}`);
    return data;
  }
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

function parseJson(text: string, url: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${url} is not JSON: ${(error as Error).message}`);
  }
}

/** A ConvLens manifest (has inputSize) rather than a tf.js model.json (has modelTopology). */
function isManifestJson(json: unknown): boolean {
  return typeof json === 'object' && json !== null && 'inputSize' in json && !('modelTopology' in json);
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}

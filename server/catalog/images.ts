import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { z } from 'zod';
import type { CatalogImage } from '../../lib/protocol/http';
import { readOriginalName, UPLOAD_FILE } from '../images/upload';
import type { Logger } from '../log';
import { modelPaths, PROJECT_ROOT } from '../models/paths';
import { imagenetLabeler, tinyImagenetLabel } from './image-labels';

export type ImageEntry = CatalogImage;

export interface ImageSet {
  id: string;
  name: string;
  /** Folder on disk; never exposed to clients. */
  dir: string;
  images: ImageEntry[];
  /**
   * Listed in GET /api/images and readable whole (top-activating images). Uploads are not: each is reachable
   * only by its unguessable content-hash id, which only the sessions that use it carry.
   */
  listed: boolean;
}

/** CONVLENS_IMAGE_UPLOADS_DIR (relative to the project root when not absolute); data/uploads by default. */
export function imageUploadsDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.CONVLENS_IMAGE_UPLOADS_DIR ?? 'data/uploads';
  return isAbsolute(configured) ? configured : resolve(PROJECT_ROOT, configured);
}

const IMAGE_FILE = /\.(jpe?g|png)$/i;
export const UPLOADS_SET = 'uploads';

const builtinIndexSchema = z.object({
  images: z.array(z.object({ file: z.string(), label: z.union([z.string(), z.number()]) })),
});

export interface DiscoverOptions {
  packsDir?: string;
  uploadsDir?: string;
  /** Told about a set that could not be read (it is left out; the others stay). */
  log?: Pick<Logger, 'warn'>;
}

/**
 * The image sets this server offers: the built-in digits always, the packs' sets where present, and uploads.
 * Uploads that arrive after discovery (in another thread, or through another server sharing the folder) are
 * found on disk by their content-hash name.
 */
export class ImageCatalog {
  private readonly sets = new Map<string, ImageSet>();

  constructor(readonly uploadsDir = imageUploadsDir()) {}

  static async discover(options: DiscoverOptions = {}): Promise<ImageCatalog> {
    const packsDir = options.packsDir ?? modelPaths().packsDir;
    const catalog = new ImageCatalog(options.uploadsDir ?? imageUploadsDir());
    const attempt = async (id: string, add: () => Promise<void>) => {
      try {
        await add();
      } catch (error) {
        options.log?.warn({ set: id, reason: (error as Error).message }, 'image set skipped');
      }
    };
    await attempt('mnist', () => catalog.addBuiltin(resolve(PROJECT_ROOT, 'public/images/mnist')));
    await attempt('test-images', () =>
      catalog.addFolder('test-images', 'Test photos (packs)', join(packsDir, 'images/test-images')),
    );
    await attempt('imagenet-sample', async () => {
      const dir = join(packsDir, 'images/imagenet-sample-images');
      if (!existsSync(dir)) return;
      const label = await imagenetLabeler(join(packsDir, 'labels/imagenet_class_index.json'));
      await catalog.addFolder('imagenet-sample', 'ImageNet sample, 1 000 photos (packs)', dir, { label });
    });
    await attempt('tiny-imagenet', () =>
      catalog.addFolder(
        'tiny-imagenet',
        'Tiny ImageNet samples (packs)',
        join(packsDir, 'images/cnn-explainer-tiny-imagenet'),
        { label: tinyImagenetLabel },
      ),
    );
    await attempt(UPLOADS_SET, () => catalog.addUploads());
    return catalog;
  }

  private async addBuiltin(dir: string): Promise<void> {
    const indexPath = join(dir, 'index.json');
    if (!existsSync(indexPath)) return;
    const index = builtinIndexSchema.parse(JSON.parse(await readFile(indexPath, 'utf8')));
    this.sets.set('mnist', {
      id: 'mnist',
      name: 'Handwritten digits (built in)',
      dir,
      listed: true,
      images: index.images.map((img) => ({
        id: `mnist/${img.file}`,
        file: img.file,
        label: String(img.label),
      })),
    });
  }

  private async addFolder(
    id: string,
    name: string,
    dir: string,
    options: { label?: (file: string) => string | undefined } = {},
  ): Promise<void> {
    if (!existsSync(dir)) return;
    const files = (await readdir(dir)).filter((f) => IMAGE_FILE.test(f)).sort();
    const images = files.map((file) => {
      const label = options.label?.(file);
      return { id: `${id}/${file}`, file, ...(label ? { label } : {}) };
    });
    this.sets.set(id, { id, name, dir, listed: true, images });
  }

  private async addUploads(): Promise<void> {
    const dir = this.uploadsDir;
    this.sets.set(UPLOADS_SET, { id: UPLOADS_SET, name: 'Uploaded images', dir, listed: false, images: [] });
    const files = existsSync(dir) ? (await readdir(dir)).filter((f) => UPLOAD_FILE.test(f)).sort() : [];
    for (const file of files) this.addUpload(file, await readOriginalName(dir, file));
  }

  list(): ImageSet[] {
    return [...this.sets.values()];
  }

  /** The sets clients may list and read whole. */
  listed(): ImageSet[] {
    return this.list().filter((set) => set.listed);
  }

  set(id: string): ImageSet | undefined {
    return this.sets.get(id);
  }

  /**
   * A set compute may read whole (top-activating images): a listed one. Throws for any other, so the uploads
   * set, reachable only image by image, can never be enumerated through a computation.
   */
  wholeSet(id: string): ImageSet {
    const set = this.sets.get(id);
    if (!set) throw new Error(`unknown image set "${id}"`);
    if (!set.listed) throw new Error(`image set "${id}" cannot be read whole`);
    return set;
  }

  addUpload(file: string, originalName?: string): ImageEntry {
    const set = this.sets.get(UPLOADS_SET);
    if (!set) throw new Error('no uploads set');
    const known = set.images.find((img) => img.file === file);
    if (known) return known;
    const entry: ImageEntry = {
      id: `${UPLOADS_SET}/${file}`,
      file,
      ...(originalName ? { originalName } : {}),
    };
    set.images.push(entry);
    return entry;
  }

  /** What a client may know of an image (id, file, label, original name), or null for an unknown id. */
  async describe(imageId: string): Promise<ImageEntry | null> {
    const found = this.find(imageId);
    if (!found) return null;
    if (found.set.id !== UPLOADS_SET || found.entry) return found.entry ?? null;
    // An upload stored since discovery (by another thread or server): read its name from disk.
    return this.addUpload(found.file, await readOriginalName(this.uploadsDir, found.file));
  }

  /** The file behind an image id, or null when the id names nothing this server has. */
  resolve(imageId: string): string | null {
    return this.find(imageId)?.path ?? null;
  }

  private find(imageId: string): { set: ImageSet; file: string; path: string; entry?: ImageEntry } | null {
    const slash = imageId.indexOf('/');
    if (slash <= 0) return null;
    const set = this.sets.get(imageId.slice(0, slash));
    if (!set) return null;
    const file = imageId.slice(slash + 1);
    const path = resolve(set.dir, file);
    if (!path.startsWith(set.dir + sep)) return null;
    const entry = set.images.find((img) => img.file === file);
    if (entry) return { set, file, path, entry };
    if (set.id === UPLOADS_SET && UPLOAD_FILE.test(file) && existsSync(path)) return { set, file, path };
    return null;
  }
}

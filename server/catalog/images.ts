import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { z } from 'zod';
import { modelPaths, PROJECT_ROOT } from '../models/paths';

export interface ImageEntry {
  /** `<setId>/<file>`: the id used in events, compute requests and URLs. */
  id: string;
  file: string;
  label?: string;
}

export interface ImageSet {
  id: string;
  name: string;
  /** Folder on disk; never exposed to clients. */
  dir: string;
  images: ImageEntry[];
}

const IMAGE_FILE = /\.(jpe?g|png)$/i;

const builtinIndexSchema = z.object({
  images: z.array(z.object({ file: z.string(), label: z.union([z.string(), z.number()]) })),
});

/** The image sets this server offers: the built-in set always, the packs' sets where present, uploads. */
export class ImageCatalog {
  private readonly sets = new Map<string, ImageSet>();

  constructor(readonly uploadsDir = resolve(PROJECT_ROOT, 'data/uploads')) {}

  static async discover(packsDir = modelPaths().packsDir): Promise<ImageCatalog> {
    const catalog = new ImageCatalog();
    await catalog.addBuiltin(resolve(PROJECT_ROOT, 'public/images/mnist'));
    catalog.addFolder('test-images', 'Test photos (packs)', join(packsDir, 'images/test-images'));
    catalog.addFolder(
      'imagenet-sample',
      'ImageNet sample, 1 000 photos (packs)',
      join(packsDir, 'images/imagenet-sample-images'),
    );
    catalog.addFolder(
      'tiny-imagenet',
      'Tiny ImageNet samples (packs)',
      join(packsDir, 'images/cnn-explainer-tiny-imagenet'),
    );
    catalog.addFolder('uploads', 'Uploaded images', catalog.uploadsDir, true);
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
      images: index.images.map((img) => ({
        id: `mnist/${img.file}`,
        file: img.file,
        label: String(img.label),
      })),
    });
  }

  private addFolder(id: string, name: string, dir: string, always = false): void {
    if (!existsSync(dir) && !always) return;
    const files = existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => IMAGE_FILE.test(f))
          .sort()
      : [];
    this.sets.set(id, { id, name, dir, images: files.map((file) => ({ id: `${id}/${file}`, file })) });
  }

  list(): ImageSet[] {
    return [...this.sets.values()];
  }

  set(id: string): ImageSet | undefined {
    return this.sets.get(id);
  }

  addUpload(file: string): ImageEntry {
    const set = this.sets.get('uploads');
    if (!set) throw new Error('no uploads set');
    const entry = { id: `uploads/${file}`, file };
    if (!set.images.some((img) => img.file === file)) set.images.push(entry);
    return entry;
  }

  /** The file behind an image id, or null when the id names nothing this server has. */
  resolve(imageId: string): string | null {
    const slash = imageId.indexOf('/');
    if (slash <= 0) return null;
    const set = this.sets.get(imageId.slice(0, slash));
    const file = imageId.slice(slash + 1);
    if (!set || !set.images.some((img) => img.file === file)) return null;
    const path = resolve(set.dir, file);
    return path.startsWith(set.dir + sep) ? path : null;
  }
}

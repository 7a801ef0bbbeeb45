// Human labels for the pack photos, so a picker can search them by class name.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const classIndexSchema = z.record(z.string(), z.tuple([z.string(), z.string()]));

/**
 * ImageNet sample photos are named `<wnid>_<name>.JPEG`: the label is the class name of that WordNet id in
 * labels/imagenet_class_index.json (whose order is also the sorted order of the files).
 */
export async function imagenetLabeler(classIndexPath: string): Promise<(file: string) => string | undefined> {
  const index = classIndexSchema.parse(JSON.parse(await readFile(classIndexPath, 'utf8')));
  const byWnid = new Map(Object.values(index).map(([wnid, name]) => [wnid, name]));
  return (file) => byWnid.get(file.split('_')[0]);
}

/** The CNN Explainer photos' name prefixes and TinyVGG's class names (see the pack's SOURCE.md). */
export const TINY_IMAGENET_CLASSES: Readonly<Record<string, string>> = {
  boat: 'lifeboat',
  bug: 'ladybug',
  pizza: 'pizza',
  pepper: 'bell pepper',
  bus: 'school bus',
  koala: 'koala',
  espresso: 'espresso',
  panda: 'red panda',
  orange: 'orange',
  car: 'sport car',
};

export function tinyImagenetLabel(file: string): string | undefined {
  return TINY_IMAGENET_CLASSES[file.split('_')[0]];
}

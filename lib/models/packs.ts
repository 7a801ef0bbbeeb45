// Manifests of the pretrained ImageNet packs in CONVLENS_PACKS_DIR (../shared/packs by default). The pack files
// are never copied into the project: paths here are relative to the packs directory, labels are read from it.
import type { ModelManifest } from './types';

export type LabelsFormat = 'imagenet-class-index' | 'string-array';

export interface PackEntry {
  /** The manifest without labels; modelUrl is relative to `directory`. */
  manifest: Omit<ModelManifest, 'labels'>;
  /** Other names accepted for this model, such as its folder name. */
  aliases: string[];
  /** Relative to the packs directory. */
  directory: string;
  labelsFile: string;
  labelsFormat: LabelsFormat;
}

const IMAGENET_LABELS = {
  labelsFile: 'labels/imagenet_class_index.json',
  labelsFormat: 'imagenet-class-index',
} as const;

const mobilenet = (alpha: '0.75' | '0.25', pomeranian: string): PackEntry => ({
  manifest: {
    id: `mobilenet-v1-${alpha}`,
    name: `MobileNet v1 ${alpha} (224)`,
    source: 'Google MobileNet v1 (Keras/tfjs-models layout), ImageNet-1000; see SOURCE.md in the pack',
    inputSize: { height: 224, width: 224, channels: 3 },
    preprocessing: {
      resize: 'center-crop-square-then-resize',
      mean: [127.5, 127.5, 127.5],
      scale: 1 / 127.5,
      offset: 0,
      channels: 3,
    },
    output: 'softmax',
    modelUrl: 'model.json',
    description: `Depthwise-separable ImageNet classifier, width multiplier ${alpha}. ${pomeranian}`,
  },
  aliases: [`mobilenet_v1_${alpha}_224`, `mobilenet-${alpha}`],
  directory: `models/mobilenet_v1_${alpha}_224`,
  ...IMAGENET_LABELS,
});

export const PACKS: readonly PackEntry[] = [
  {
    manifest: {
      id: 'squeezenet-1.0',
      name: 'SqueezeNet v1.0 (Deep Compression)',
      source: 'songhan/SqueezeNet-Deep-Compression, converted to tf.js; see SOURCE.md in the pack',
      inputSize: { height: 227, width: 227, channels: 3 },
      preprocessing: {
        resize: 'shorter-side-then-center-crop',
        resizeTo: 256,
        mean: [123, 117, 104],
        scale: 1,
        offset: 0,
        channels: 3,
      },
      output: 'softmax',
      modelUrl: 'model.json',
      description: 'ImageNet classifier with fire modules (squeeze 1×1, expand 1×1 and 3×3, concatenated).',
    },
    aliases: ['squeezenet_v1.0_deepcompression', 'squeezenet'],
    directory: 'models/squeezenet_v1.0_deepcompression',
    ...IMAGENET_LABELS,
  },
  mobilenet('0.75', 'The pack was checked on a Pomeranian photo: Pomeranian 89%.'),
  mobilenet('0.25', 'Topology rebuilt from the 0.75 model, weights unchanged.'),
  {
    manifest: {
      id: 'darknet-tiny',
      name: 'Darknet tiny (ml5)',
      source: 'ml5js/ml5-data-and-models darknettiny (Darknet by J. Redmon); see SOURCE.md in the pack',
      inputSize: { height: 224, width: 224, channels: 3 },
      preprocessing: { resize: 'stretch', mean: [0, 0, 0], scale: 1 / 255, offset: 0, channels: 3 },
      output: 'logits',
      modelUrl: 'model.json',
      description: 'ImageNet classifier, outputs logits in Darknet label order.',
    },
    aliases: ['darknet-tiny-ml5', 'darknet'],
    directory: 'models/darknet-tiny-ml5',
    labelsFile: 'models/darknet-tiny-ml5/labels_darknet_order.json',
    labelsFormat: 'string-array',
  },
  {
    manifest: {
      id: 'tinyvgg',
      name: 'TinyVGG (CNN Explainer)',
      source: 'poloclub/cnn-explainer, 10 Tiny-ImageNet classes; see SOURCE.md in the pack',
      inputSize: { height: 64, width: 64, channels: 3 },
      preprocessing: { resize: 'stretch', mean: [0, 0, 0], scale: 1 / 255, offset: 0, channels: 3 },
      output: 'softmax',
      modelUrl: 'model.json',
      description: 'Four 3×3 convolutions with 10 filters each, two max-pools, a dense softmax.',
    },
    aliases: ['tinyvgg-cnn-explainer', 'tiny-vgg'],
    directory: 'models/tinyvgg-cnn-explainer',
    labelsFile: 'models/tinyvgg-cnn-explainer/labels.json',
    labelsFormat: 'string-array',
  },
];

export function findPack(idOrAlias: string): PackEntry | undefined {
  const wanted = idOrAlias.toLowerCase();
  return PACKS.find(
    (pack) => pack.manifest.id === wanted || pack.aliases.some((alias) => alias.toLowerCase() === wanted),
  );
}

/** Labels from a pack's labels file (parsed JSON) in output order. */
export function packLabels(pack: PackEntry, json: unknown): string[] {
  if (pack.labelsFormat === 'string-array') {
    if (!Array.isArray(json) || !json.every((label) => typeof label === 'string')) {
      throw new Error(`${pack.labelsFile}: expected a JSON array of strings`);
    }
    return json;
  }
  if (typeof json !== 'object' || json === null)
    throw new Error(`${pack.labelsFile}: expected {"0": [wnid, name], …}`);
  const entries = json as Record<string, unknown>;
  const count = Object.keys(entries).length;
  return Array.from({ length: count }, (_, index) => {
    const entry = entries[String(index)];
    if (!Array.isArray(entry) || typeof entry[1] !== 'string') {
      throw new Error(`${pack.labelsFile}: entry "${index}" should be [wnid, name]`);
    }
    return entry[1];
  });
}

export function packManifest(pack: PackEntry, labels: string[]): ModelManifest {
  return { ...pack.manifest, labels };
}

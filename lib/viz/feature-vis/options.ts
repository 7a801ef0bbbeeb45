// What a feature visualisation maximises and how: the settings, their defaults and their limits.
import type { LoadedModel } from '@/lib/models/types';

/** What the image should excite: a channel's mean over positions, one neuron, or a class logit. */
export type FeatureVisObjective =
  | { kind: 'channel'; layer: string; channel: number }
  | { kind: 'neuron'; layer: string; channel: number; y: number; x: number }
  | { kind: 'class'; classIndex: number };

/** Random transforms applied at every step, so the image must work under small shifts, zooms and turns. */
export interface TransformSettings {
  /** Largest shift, in model-input pixels, each way. */
  jitter: number;
  /** Largest relative zoom each way (0.1: 0.9×..1.1×). */
  scale: number;
  /** Largest rotation each way, in degrees. */
  rotate: number;
}

export interface FeatureVisSettings {
  objective: FeatureVisObjective;
  steps: number;
  /** Adam's step size on the Fourier coefficients. */
  learningRate: number;
  /**
   * Longer side of the optimised image, in pixels (at most the model's input side). A smaller image is
   * upsampled to the input size before the network sees it: fewer parameters, smoother images.
   */
  size: number;
  seed: number;
  /** Images optimised together; with `diversity` > 0 they are pushed apart. */
  images: number;
  /**
   * Weight of the similarity penalty between the images (cosine similarity of their Gram matrices at the
   * objective's layer), relative to the objective's current magnitude: 1 makes identical images cost as
   * much as the whole objective.
   */
  diversity: number;
  transforms: TransformSettings;
  /** Steps between previews (0: none). */
  previewEvery: number;
}

export const FEATURE_VIS_LIMITS = {
  steps: 2048,
  images: 8,
  minSize: 8,
  learningRate: { min: 1e-4, max: 1 },
  diversity: 10,
} as const;

/** Transforms in proportion to the image: about 4% jitter, ±10% zoom, ±10° (Lucid's standard set). */
export function defaultTransforms(inputSide: number): TransformSettings {
  return { jitter: Math.max(1, Math.round(inputSide * 0.04)), scale: 0.1, rotate: 10 };
}

/** Fills defaults for the model and checks every setting, naming the allowed range in the error. */
export function resolveSettings(
  loaded: LoadedModel,
  settings: Partial<FeatureVisSettings> & Pick<FeatureVisSettings, 'objective'>,
): FeatureVisSettings {
  const { height, width } = loaded.manifest.inputSize;
  const side = Math.max(height, width);
  const given = Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
  const resolved: FeatureVisSettings = {
    steps: 256,
    learningRate: 0.05,
    size: side,
    seed: 0,
    images: 1,
    diversity: 0,
    previewEvery: 16,
    ...given,
    objective: settings.objective,
    transforms: { ...defaultTransforms(side), ...settings.transforms },
  };
  const { steps, learningRate, size, seed, images, diversity, previewEvery, transforms } = resolved;
  const limits = FEATURE_VIS_LIMITS;
  check(Number.isInteger(steps) && steps >= 1 && steps <= limits.steps, `steps must be 1..${limits.steps}`);
  check(
    learningRate >= limits.learningRate.min && learningRate <= limits.learningRate.max,
    `learningRate must be ${limits.learningRate.min}..${limits.learningRate.max}`,
  );
  check(
    Number.isInteger(size) && size >= limits.minSize && size <= side,
    `size must be an integer ${limits.minSize}..${side} (the model's input side)`,
  );
  check(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff, 'seed must be an integer 0..2^32-1');
  check(
    Number.isInteger(images) && images >= 1 && images <= limits.images,
    `images must be 1..${limits.images}`,
  );
  check(diversity >= 0 && diversity <= limits.diversity, `diversity must be 0..${limits.diversity}`);
  check(Number.isInteger(previewEvery) && previewEvery >= 0, 'previewEvery must be a whole number of steps');
  check(
    transforms.jitter >= 0 && transforms.jitter <= side / 4,
    `jitter must be 0..${side / 4} pixels (a quarter of the input)`,
  );
  check(transforms.scale >= 0 && transforms.scale < 0.5, 'scale must be 0..0.5');
  check(transforms.rotate >= 0 && transforms.rotate <= 45, 'rotate must be 0..45 degrees');
  return resolved;
}

/** The optimised image's height and width: `size` along the input's longer side, the input's aspect. */
export function parameterSize(loaded: LoadedModel, size: number): [number, number] {
  const { height, width } = loaded.manifest.inputSize;
  const side = Math.max(height, width);
  return [Math.max(1, Math.round((size * height) / side)), Math.max(1, Math.round((size * width) / side))];
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new RangeError(`feature visualisation: ${message}`);
}

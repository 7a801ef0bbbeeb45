// Feature visualisation: from noise, gradient ascent on the Fourier coefficients of an image until it excites
// a channel, a neuron or a class, with random jitter, zoom and rotation at every step.
import type { Scalar } from '@tensorflow/tfjs';
import type { LoadedModel } from '@/lib/models/types';
import { registerWasmGradientKernels } from '@/lib/models/wasm-gradient-kernels';
import type { FeatureVisResult } from '@/lib/protocol/results';
import type { Tensor, Tensor4D, Tf } from '@/lib/tf';
import { seededRandom } from '@/lib/util/random';
import { layerOutputModel } from '../activations';
import type { PixelImage } from '../image';
import { colourMixing, FourierBasis, initialSpectrum, spectrumColumns, toPixels } from './fourier';
import { differentiableNetwork } from './network';
import { gramSimilarity, objectiveHead } from './objective';
import { type FeatureVisSettings, parameterSize, resolveSettings } from './options';
import { type Affine, IDENTITY, randomAffine, warp } from './transforms';

export interface FeatureVisRunOptions {
  /** The result so far (`step` < `steps`), after steps 1, 2, 4, … and then every `previewEvery` steps. */
  onPreview?: (preview: FeatureVisResult) => void;
  onProgress?: (progress: { done: number; total: number }) => void;
  signal?: AbortSignal;
}

export type { FeatureVisResult };

export type FeatureVisRequest = Partial<FeatureVisSettings> & Pick<FeatureVisSettings, 'objective'>;

/** Previews after steps 1, 2, 4, … (so the first comes at once), then every `every` steps, and at the end. */
export function isPreviewStep(step: number, every: number, steps: number): boolean {
  if (every <= 0) return false;
  if (step === steps) return true;
  return step < every ? (step & (step - 1)) === 0 : step % every === 0;
}

export async function featureVisualization(
  tf: Tf,
  loaded: LoadedModel,
  request: FeatureVisRequest,
  options: FeatureVisRunOptions = {},
): Promise<FeatureVisResult> {
  const settings = resolveSettings(loaded, request);
  const head = objectiveHead(tf, loaded, settings.objective);
  if (tf.getBackend() === 'wasm') registerWasmGradientKernels(tf, { fastConvInputGradient: true });
  const { height, width, channels } = loaded.manifest.inputSize;
  const [ph, pw] = parameterSize(loaded, settings.size);
  const n = settings.images;
  const random = seededRandom(settings.seed);
  const basis = new FourierBasis(tf, ph, pw);
  const mixing = channels === 3 ? tf.tensor2d(colourMixing(), [3, 3]) : undefined;
  const spectrum = tf.tidy(() =>
    tf.variable(
      tf.tensor3d(initialSpectrum(random, { images: n, channels, height: ph, width: pw }), [
        n * channels,
        ph,
        2 * spectrumColumns(pw),
      ]),
    ),
  );
  const network = differentiableNetwork(tf, loaded, [head.input]);
  const optimizer = tf.train.adam(settings.learningRate);
  const { mean, scale, offset } = loaded.manifest.preprocessing;
  const channelMean = tf.tensor1d(mean.slice(0, channels));

  const pixels = (transforms: readonly Affine[]): Tensor4D =>
    warp(tf, toPixels(tf, basis.toImage(tf, spectrum, n, channels), mixing), [height, width], transforms);
  // The manifest's scaling, with the same ops in the same order as lib/viz/input.ts.
  const modelInput = (x: Tensor): Tensor4D =>
    tf.add(tf.mul(tf.sub(x, channelMean), scale), offset) as Tensor4D;
  const snapshot = async (): Promise<PixelImage[]> => {
    const bytes = tf.tidy(() =>
      tf.cast(tf.clipByValue(tf.round(pixels(Array(n).fill(IDENTITY))), 0, 255), 'int32'),
    );
    const data = await bytes.data();
    bytes.dispose();
    const size = height * width * channels;
    return Array.from({ length: n }, (_, i) => ({
      height,
      width,
      channels,
      data: Uint8ClampedArray.from(data.subarray(i * size, (i + 1) * size)),
    }));
  };

  // Measured through the model itself (not the rebuilt network), as any photo would be.
  const fromInput = loaded.layers.find((l) => l.name === head.input)?.kind === 'input';
  const sub = fromInput ? undefined : layerOutputModel(tf, loaded, head.input);
  const trace = new Float32Array(settings.steps);
  const current = async (step: number): Promise<FeatureVisResult> => {
    const images = await snapshot();
    const values = await measure(tf, images, (input) => {
      const x = modelInput(input);
      return head.evaluate(sub ? (sub.predict(x) as Tensor) : x).values;
    });
    return {
      objective: settings.objective,
      layer: head.layer,
      step,
      steps: settings.steps,
      size: [ph, pw],
      images,
      values,
      trace: trace.slice(0, step),
    };
  };
  let magnitude = 1;
  try {
    for (let step = 0; step < settings.steps; step++) {
      options.signal?.throwIfAborted();
      const transforms = Array.from({ length: n }, () => randomAffine(random, settings.transforms));
      let objective: Tensor | undefined;
      const { value, grads } = tf.variableGrads(() => {
        const output = network.run(modelInput(pixels(transforms))).get(head.input)!;
        const { values, ascent, features } = head.evaluate(output);
        objective = tf.keep(tf.mean(values));
        const loss = tf.neg(tf.mean(ascent));
        if (n < 2 || settings.diversity === 0) return loss as Scalar;
        return tf.add(loss, tf.mul(gramSimilarity(tf, features), settings.diversity * magnitude)) as Scalar;
      }, [spectrum]);
      optimizer.applyGradients(grads as Parameters<typeof optimizer.applyGradients>[0]);
      value.dispose();
      tf.dispose(grads);
      trace[step] = (await objective!.data())[0];
      objective!.dispose();
      magnitude = Math.max(Math.abs(trace[step]), 1e-3);
      options.onProgress?.({ done: step + 1, total: settings.steps });
      if (options.onPreview && isPreviewStep(step + 1, settings.previewEvery, settings.steps)) {
        options.onPreview(await current(step + 1));
      }
      // Let the worker's messages (cancellation, previews) through between steps.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    return await current(settings.steps);
  } finally {
    network.dispose();
    optimizer.dispose();
    spectrum.dispose();
    basis.dispose();
    mixing?.dispose();
    channelMean.dispose();
  }
}

/** The objective of 8-bit images, fed to the network like any photo. */
async function measure(
  tf: Tf,
  images: readonly PixelImage[],
  objective: (pixels: Tensor4D) => Tensor,
): Promise<number[]> {
  const { height, width, channels } = images[0];
  const size = height * width * channels;
  const batch = new Float32Array(images.length * size);
  for (const [i, image] of images.entries()) batch.set(image.data, i * size);
  const values = tf.tidy(() => objective(tf.tensor4d(batch, [images.length, height, width, channels])));
  const data = await values.data();
  values.dispose();
  return Array.from(data);
}

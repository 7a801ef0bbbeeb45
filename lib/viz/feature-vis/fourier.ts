// The image as Fourier coefficients scaled by 1/frequency, with decorrelated colours (Olah et al., "Feature
// Visualization", Distill 2017; Lucid's fft_image and to_valid_rgb). Gradient ascent on these coefficients
// is steepest descent in a space where natural images' spectra are flat, so low frequencies move first and
// the high-frequency noise that plain pixel ascent produces stays small.
//
// The inverse real FFT is written as two matrix products (cos/sin bases), so it runs and differentiates on
// every tfjs backend (wasm has no FFT kernel) and gives the same numbers as numpy's irfft2.
import type { Tensor2D } from '@tensorflow/tfjs';
import type { Tensor, Tensor4D, Tf } from '@/lib/tf';
import { ConstantMatrix, matrixTimes, timesMatrix } from './linear-ops';

export interface SpectrumShape {
  images: number;
  channels: number;
  height: number;
  width: number;
}

/** Columns of the real FFT along the width: 0..⌊W/2⌋. */
export function spectrumColumns(width: number): number {
  return Math.floor(width / 2) + 1;
}

/** Coefficients per image-channel plane: height rows of (real parts | imaginary parts). */
export function spectrumLength(shape: SpectrumShape): number {
  return shape.images * shape.channels * shape.height * 2 * spectrumColumns(shape.width);
}

/** numpy's fftfreq: 0, 1, …, then the negative frequencies, divided by n. */
function fftFrequency(k: number, n: number): number {
  return (k <= (n - 1) / 2 ? k : k - n) / n;
}

/**
 * The fixed parts of the parameterisation for one image size: the 1/f scale of each coefficient and the
 * two real bases of the inverse transform.
 */
export class FourierBasis {
  /** [H, 2K]: 1/max(f, 1/max(H, W)) for both the real and the imaginary part of each coefficient. */
  readonly scale: Tensor;
  /** [2K, 2W]: [[C, S], [−S, C]] with C[k, x] = c_k cos(2πkx/W), c_k = 2 except for DC and Nyquist. */
  readonly alongWidth: ConstantMatrix;
  /** [H, 2H]: [cos | −sin](2π·ky·y/H), with irfft2's 1/(HW) and Lucid's √(HW)/4 folded in. */
  readonly alongHeight: ConstantMatrix;

  constructor(
    tf: Tf,
    readonly height: number,
    readonly width: number,
  ) {
    const k = spectrumColumns(width);
    const scale = new Float32Array(height * 2 * k);
    const floor = 1 / Math.max(height, width);
    for (let ky = 0; ky < height; ky++) {
      const fy = fftFrequency(ky, height);
      for (let kx = 0; kx < k; kx++) {
        const f = Math.max(Math.hypot(fy, kx / width), floor);
        scale[ky * 2 * k + kx] = 1 / f;
        scale[ky * 2 * k + k + kx] = 1 / f;
      }
    }
    const alongWidth = new Float32Array(2 * k * 2 * width);
    for (let kx = 0; kx < k; kx++) {
      const weight = kx === 0 || (width % 2 === 0 && kx === width / 2) ? 1 : 2;
      for (let x = 0; x < width; x++) {
        const angle = (2 * Math.PI * kx * x) / width;
        const c = weight * Math.cos(angle);
        const s = weight * Math.sin(angle);
        alongWidth[kx * 2 * width + x] = c;
        alongWidth[kx * 2 * width + width + x] = s;
        alongWidth[(k + kx) * 2 * width + x] = -s;
        alongWidth[(k + kx) * 2 * width + width + x] = c;
      }
    }
    const norm = 1 / (4 * Math.sqrt(height * width));
    const alongHeight = new Float32Array(height * 2 * height);
    for (let y = 0; y < height; y++) {
      for (let ky = 0; ky < height; ky++) {
        const angle = (2 * Math.PI * ky * y) / height;
        alongHeight[y * 2 * height + ky] = norm * Math.cos(angle);
        alongHeight[y * 2 * height + height + ky] = -norm * Math.sin(angle);
      }
    }
    this.scale = tf.tensor2d(scale, [height, 2 * k]);
    this.alongWidth = new ConstantMatrix(tf, alongWidth, 2 * k, 2 * width);
    this.alongHeight = new ConstantMatrix(tf, alongHeight, height, 2 * height);
  }

  /** Coefficients [N·C, H, 2K] → unbounded image [N, H, W, C] (before colour mixing and the sigmoid). */
  toImage(tf: Tf, spectrum: Tensor, images: number, channels: number): Tensor4D {
    const { height, width } = this;
    const planes = images * channels;
    return tf.tidy(() => {
      const scaled = tf.mul(spectrum, this.scale);
      const rows = timesMatrix(tf, tf.reshape(scaled, [planes * height, -1]) as Tensor2D, this.alongWidth);
      // [N·C, H, (re|im), W] → [(re|im), H, N·C, W]: the height transform then is one product.
      const parts = tf.transpose(tf.reshape(rows, [planes, height, 2, width]), [2, 1, 0, 3]);
      const image = matrixTimes(
        tf,
        this.alongHeight,
        tf.reshape(parts, [2 * height, planes * width]) as Tensor2D,
      );
      return tf.transpose(tf.reshape(image, [height, images, channels, width]), [1, 0, 3, 2]) as Tensor4D;
    });
  }

  dispose(): void {
    this.scale.dispose();
    this.alongWidth.dispose();
    this.alongHeight.dispose();
  }
}

/** Lucid's start: every coefficient ~ N(0, sd²), from a seeded uniform source (Box–Muller). */
export function initialSpectrum(random: () => number, shape: SpectrumShape, sd = 0.01): Float32Array {
  const values = new Float32Array(spectrumLength(shape));
  for (let i = 0; i < values.length; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    values[i] = sd * radius * Math.cos(angle);
    if (i + 1 < values.length) values[i + 1] = sd * radius * Math.sin(angle);
  }
  return values;
}

/**
 * The square root of ImageNet's colour covariance (Lucid's color_correlation_svd_sqrt), its columns scaled
 * so the largest has unit norm: optimising in these decorrelated directions keeps colours natural.
 */
const COLOUR_CORRELATION_SQRT = [
  [0.26, 0.09, 0.02],
  [0.27, 0.0, -0.05],
  [0.27, -0.09, 0.03],
];

export function colourMixing(): Float32Array {
  const columnNorms = [0, 1, 2].map((j) => Math.hypot(...COLOUR_CORRELATION_SQRT.map((row) => row[j])));
  const largest = Math.max(...columnNorms);
  // Stored transposed, for pixels[P, 3] · Mᵀ.
  const transposed = new Float32Array(9);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) transposed[j * 3 + i] = COLOUR_CORRELATION_SQRT[i][j] / largest;
  return transposed;
}

/** Unbounded image → pixels 0..255: colours mixed back (RGB only), then a sigmoid. */
export function toPixels(tf: Tf, unbounded: Tensor4D, mixing: Tensor | undefined): Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, c] = unbounded.shape;
    const mixed =
      c === 3 && mixing
        ? tf.reshape(tf.matMul(tf.reshape(unbounded, [-1, 3]), mixing), [n, h, w, c])
        : unbounded;
    return tf.mul(tf.sigmoid(mixed), 255) as Tensor4D;
  });
}

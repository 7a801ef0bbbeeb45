// Random jitter, zoom and rotation, and the resampling of the optimised image to the model's input size, as
// one bilinear warp per image. The warp is a gather of the four neighbours of every sample point, so its
// gradient is the exact adjoint (a scatter-add of the same weights) on every backend.
import type { Tensor2D } from '@tensorflow/tfjs';
import type { Tensor, Tensor4D, Tf } from '@/lib/tf';
import { gatherRows } from './linear-ops';
import type { TransformSettings } from './options';

/** Output pixel → source point: source = centre + (1/zoom)·R(−angle)·(out − centre)·ratio + shift. */
export interface Affine {
  zoom: number;
  /** Radians. */
  angle: number;
  /** Shift in output pixels, [dy, dx]. */
  shift: [number, number];
}

export const IDENTITY: Affine = { zoom: 1, angle: 0, shift: [0, 0] };

/** One transform drawn uniformly within the settings' ranges. */
export function randomAffine(random: () => number, settings: TransformSettings): Affine {
  const between = (limit: number) => (2 * random() - 1) * limit;
  return {
    zoom: 1 + between(settings.scale),
    angle: (between(settings.rotate) * Math.PI) / 180,
    shift: [between(settings.jitter), between(settings.jitter)],
  };
}

export interface WarpShape {
  images: number;
  channels: number;
  source: [number, number];
  target: [number, number];
}

/**
 * Flat gather indices (4 per output pixel: the corners of its source cell, edges clamped) and their
 * bilinear weights, for a batch of images each with its own transform. Pixel centres sit at +0.5.
 */
export function warpTable(
  shape: WarpShape,
  transforms: readonly Affine[],
): {
  indices: Int32Array;
  weights: Float32Array;
} {
  const [sh, sw] = shape.source;
  const [th, tw] = shape.target;
  const perImage = th * tw;
  const total = shape.images * perImage;
  const indices = new Int32Array(4 * total);
  const weights = new Float32Array(4 * total);
  for (let n = 0; n < shape.images; n++) {
    const { zoom, angle, shift } = transforms[n];
    const cos = Math.cos(angle) / zoom;
    const sin = Math.sin(angle) / zoom;
    const ry = sh / th;
    const rx = sw / tw;
    const base = n * sh * sw;
    for (let y = 0; y < th; y++) {
      const dy = y + 0.5 - th / 2 - shift[0];
      for (let x = 0; x < tw; x++) {
        const dx = x + 0.5 - tw / 2 - shift[1];
        const sy = sh / 2 + (cos * dy - sin * dx) * ry - 0.5;
        const sx = sw / 2 + (sin * dy + cos * dx) * rx - 0.5;
        const y0 = Math.floor(sy);
        const x0 = Math.floor(sx);
        const fy = sy - y0;
        const fx = sx - x0;
        const ya = clamp(y0, sh);
        const yb = clamp(y0 + 1, sh);
        const xa = clamp(x0, sw);
        const xb = clamp(x0 + 1, sw);
        const p = n * perImage + y * tw + x;
        indices[p] = base + ya * sw + xa;
        indices[total + p] = base + ya * sw + xb;
        indices[2 * total + p] = base + yb * sw + xa;
        indices[3 * total + p] = base + yb * sw + xb;
        weights[p] = (1 - fy) * (1 - fx);
        weights[total + p] = (1 - fy) * fx;
        weights[2 * total + p] = fy * (1 - fx);
        weights[3 * total + p] = fy * fx;
      }
    }
  }
  return { indices, weights };
}

function clamp(i: number, size: number): number {
  return i < 0 ? 0 : i >= size ? size - 1 : i;
}

/** [N, sh, sw, C] → [N, th, tw, C], each image through its own transform. Differentiable. */
export function warp(
  tf: Tf,
  images: Tensor4D,
  target: [number, number],
  transforms: readonly Affine[],
): Tensor4D {
  const [n, sh, sw, c] = images.shape;
  const { indices, weights } = warpTable({ images: n, channels: c, source: [sh, sw], target }, transforms);
  return tf.tidy(() => {
    const flat = tf.reshape(images, [n * sh * sw, c]) as Tensor2D;
    const corners = gatherRows(tf, flat, tf.tensor2d(indices, [indices.length, 1], 'int32'));
    const weighted = tf.mul(corners, tf.tensor2d(weights, [weights.length, 1]));
    const summed: Tensor = tf.sum(tf.reshape(weighted, [4, n * target[0] * target[1], c]), 0);
    return tf.reshape(summed, [n, target[0], target[1], c]) as Tensor4D;
  });
}

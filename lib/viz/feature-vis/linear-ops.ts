// Linear ops with their adjoints spelled out. tf.js's own gradients for these are slow on the wasm backend
// (matMul with a transposed operand runs a plain loop; GatherV2 and its segment-sum gradient are far slower
// than GatherNd and ScatterNd), so each op here states its gradient with the fast kernels.
import type { Tensor2D } from '@tensorflow/tfjs';
import type { Tensor, Tf } from '@/lib/tf';

/** A constant matrix with its transpose kept beside it, for products whose gradient needs Mᵀ. */
export class ConstantMatrix {
  readonly value: Tensor2D;
  readonly transposed: Tensor2D;

  constructor(tf: Tf, values: Float32Array, rows: number, columns: number) {
    this.value = tf.tensor2d(values, [rows, columns]);
    this.transposed = tf.tidy(() => tf.transpose(this.value));
  }

  dispose(): void {
    this.value.dispose();
    this.transposed.dispose();
  }
}

/** x · M for x [P, rows]; the gradient is dy · Mᵀ. */
export function timesMatrix(tf: Tf, x: Tensor2D, matrix: ConstantMatrix): Tensor2D {
  const op = tf.customGrad<Tensor2D>((...inputs) => ({
    value: tf.matMul(inputs[0] as Tensor2D, matrix.value),
    gradFunc: (dy) => tf.matMul(dy, matrix.transposed),
  }));
  return op(x);
}

/** M · z for z [columns, Q]; the gradient is Mᵀ · dy. */
export function matrixTimes(tf: Tf, matrix: ConstantMatrix, z: Tensor2D): Tensor2D {
  const op = tf.customGrad<Tensor2D>((...inputs) => ({
    value: tf.matMul(matrix.value, inputs[0] as Tensor2D),
    gradFunc: (dy) => tf.matMul(matrix.transposed, dy),
  }));
  return op(z);
}

/**
 * Rows of x [R, C] at `indices` [M, 1] (int32) → [M, C]; the gradient scatter-adds dy back onto the rows
 * (the indices are saved with the op, so a tidy around the forward pass does not release them).
 */
export function gatherRows(tf: Tf, x: Tensor2D, indices: Tensor): Tensor2D {
  const op = tf.customGrad<Tensor2D>((...inputs) => {
    const [input, rowIndices] = inputs as [Tensor2D, Tensor];
    const save = inputs[2] as (tensors: Tensor[]) => void;
    save([rowIndices]);
    return {
      value: tf.gatherND(input, rowIndices) as Tensor2D,
      gradFunc: (dy, [saved]) => [tf.scatterND(saved, dy, input.shape), tf.zerosLike(saved)],
    };
  });
  return op(x, indices);
}

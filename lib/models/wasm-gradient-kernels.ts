// Two gradient kernels the tf.js wasm backend (4.22) does not ship: Conv2DBackpropFilter (needed to train any
// Conv2D) and DepthwiseConv2dNativeBackpropInput (needed for input gradients through depthwise convolutions,
// e.g. saliency or empirical receptive fields on MobileNet). Both are written with ops the backend does have,
// so the same code serves Node and the browser.
import type {
  KernelBackend,
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  NamedTensorInfoMap,
  Tensor,
  Tensor4D,
  TensorInfo,
} from '@tensorflow/tfjs';
import type { Tf } from '@/lib/tf';

type Pair = [number, number];
type PadAttr =
  | 'valid'
  | 'same'
  | number
  | [[number, number], [number, number], [number, number], [number, number]];

type Composite = (tf: Tf, inputs: Record<string, Tensor>, attrs: NamedAttrMap) => Tensor;

export interface GradientKernelOptions {
  backendName?: string;
  /**
   * Also replace the backend's own Conv2DBackpropInput (a plain loop in wasm 4.22) with one built on its
   * fast Conv2D, for input gradients through large convolutions.
   */
  fastConvInputGradient?: boolean;
}

const compositeKernels = new WeakSet<KernelFunc>();
const setUp = new WeakSet<object>();

/** Up to this many input channels, Conv2DBackpropInput keeps the backend's own kernel (measured faster). */
const NATIVE_INPUT_GRADIENT_CHANNELS = 4;

/** Registers the missing kernels for the backend (default 'wasm'); kernels that already exist are kept. */
export function registerWasmGradientKernels(tf: Tf, options: GradientKernelOptions = {}): void {
  const backendName = options.backendName ?? 'wasm';
  const kernels: [string, Composite][] = [
    ['Conv2DBackpropFilter', conv2dBackpropFilter],
    ['DepthwiseConv2dNativeBackpropInput', depthwiseBackpropInput],
  ];
  let native: KernelConfig | undefined;
  if (options.fastConvInputGradient) {
    const existing = tf.getKernel('Conv2DBackpropInput', backendName);
    if (existing && !compositeKernels.has(existing.kernelFunc)) {
      native = existing;
      tf.unregisterKernel('Conv2DBackpropInput', backendName);
    }
    kernels.push(['Conv2DBackpropInput', conv2dBackpropInput]);
  }
  for (const [kernelName, compute] of kernels) {
    if (tf.getKernel(kernelName, backendName)) continue;
    // The backend's own loop stays faster for an input of a few channels (an image's gradient through the
    // first convolution): there the composite's convolution has almost no output channels to share work.
    const delegate = kernelName === 'Conv2DBackpropInput' ? native : undefined;
    const kernelFunc: KernelFunc = (args) => {
      const filter = args.inputs.filter;
      if (delegate && filter && filter.shape[2] <= NATIVE_INPUT_GRADIENT_CHANNELS) {
        // Unregistered, the kernel missed its backend's setup (which binds its wasm function): run it once.
        if (delegate.setupFunc && !setUp.has(args.backend)) {
          delegate.setupFunc(args.backend);
          setUp.add(args.backend);
        }
        return delegate.kernelFunc(args);
      }
      return runComposite(tf, args.backend as KernelBackend, args.inputs, args.attrs ?? {}, compute);
    };
    compositeKernels.add(kernelFunc);
    tf.registerKernel({ kernelName, backendName, kernelFunc });
  }
}

/**
 * Runs ops inside a kernel: wraps the input infos as tensors, computes, and hands the result's buffer to the
 * engine like any kernel output (as the backend's own Reshape does with its input).
 */
function runComposite(
  tf: Tf,
  backend: KernelBackend,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap,
  compute: (tf: Tf, inputs: Record<string, Tensor>, attrs: NamedAttrMap) => Tensor,
): TensorInfo {
  const engine = tf.engine();
  const wrapped: Record<string, Tensor> = {};
  for (const [name, info] of Object.entries(inputs)) {
    if (!info) continue;
    wrapped[name] = engine.makeTensorFromTensorInfo(info, backend);
    // The wrapper shares the input's buffer: count it, so disposing the wrapper leaves the buffer alive.
    backend.incRef(info.dataId);
  }
  try {
    const result = tf.tidy(() => compute(tf, wrapped, attrs));
    const { dataId, shape, dtype } = result;
    // Hand the result's buffer to the engine instead of copying it: count the new owner, release the old.
    backend.incRef(dataId);
    result.dispose();
    return { dataId, shape, dtype };
  } finally {
    for (const tensor of Object.values(wrapped)) tensor.dispose();
  }
}

function pair(value: unknown): Pair {
  return typeof value === 'number' ? [value, value] : [(value as number[])[0], (value as number[])[1]];
}

/**
 * dW[i, j, ci, co] = Σ_b,y,x xPadded[b, y·sh + i, x·sw + j, ci] · dy[b, y, x, co]: a convolution of the
 * input (batch and channels swapped) with dy as the filter, dilated by the forward stride.
 */
function conv2dBackpropFilter(tf: Tf, { x, dy }: Record<string, Tensor>, attrs: NamedAttrMap): Tensor {
  const filterShape = attrs.filterShape as [number, number, number, number];
  if (attrs.dataFormat === 'NCHW')
    throw new Error('Conv2DBackpropFilter: only NHWC is supported on this backend');
  const strides = pair(attrs.strides);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    attrs.pad as PadAttr,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
  const { top, bottom, left, right } = info.padInfo;
  const padded = tf.pad(x as Tensor4D, [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ]);
  const input = tf.transpose(padded, [3, 1, 2, 0]) as Tensor4D;
  const filter = tf.transpose(dy as Tensor4D, [1, 2, 0, 3]) as Tensor4D;
  const full = tf.conv2d(input, filter, 1, 'valid', 'NHWC', strides);
  const [kh, kw] = filterShape;
  const cropped = tf.slice(full, [0, 0, 0, 0], [-1, kh, kw, -1]);
  return tf.transpose(cropped, [1, 2, 0, 3]);
}

/**
 * dx = the transposed depthwise convolution: dy with zeros inserted between strided rows/columns, padded,
 * correlated with the spatially flipped filter per channel, then summed over the channel multiplier.
 */
function depthwiseBackpropInput(tf: Tf, { dy, filter }: Record<string, Tensor>, attrs: NamedAttrMap): Tensor {
  const inputShape = attrs.inputShape as [number, number, number, number];
  const [batch, height, width, channels] = inputShape;
  const [kh, kw, , multiplier] = filter.shape as [number, number, number, number];
  const strides = pair(attrs.strides);
  const dilations = pair(attrs.dilations);
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    dilations,
    attrs.pad as PadAttr,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
    true,
  );
  const upsampled = insertZeros(tf, dy as Tensor4D, strides);
  const before: Pair = [
    (kh - 1) * dilations[0] - info.padInfo.top,
    (kw - 1) * dilations[1] - info.padInfo.left,
  ];
  const after: Pair = [
    height + (kh - 1) * dilations[0] - upsampled.shape[1] - before[0],
    width + (kw - 1) * dilations[1] - upsampled.shape[2] - before[1],
  ];
  const framed = padOrCrop(tf, upsampled, before, after);
  const flipped = tf.reshape(tf.reverse(filter, [0, 1]), [kh, kw, channels * multiplier, 1]) as Tensor4D;
  const perOutputChannel = tf.depthwiseConv2d(framed, flipped, 1, 'valid', 'NHWC', dilations);
  if (multiplier === 1) return perOutputChannel;
  return tf.sum(tf.reshape(perOutputChannel, [batch, height, width, channels, multiplier]), 4);
}

/**
 * dx = the transposed convolution: dy with zeros between strided rows/columns, padded, convolved with the
 * spatially flipped filter whose in/out channels are swapped.
 */
function conv2dBackpropInput(tf: Tf, { dy, filter }: Record<string, Tensor>, attrs: NamedAttrMap): Tensor {
  if (attrs.dataFormat === 'NCHW')
    throw new Error('Conv2DBackpropInput: only NHWC is supported on this backend');
  const inputShape = attrs.inputShape as [number, number, number, number];
  const [, height, width] = inputShape;
  const [kh, kw] = filter.shape as [number, number, number, number];
  const strides = pair(attrs.strides);
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    attrs.pad as PadAttr,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
  const upsampled = insertZeros(tf, dy as Tensor4D, strides);
  const before: Pair = [kh - 1 - info.padInfo.top, kw - 1 - info.padInfo.left];
  const after: Pair = [
    height + kh - 1 - upsampled.shape[1] - before[0],
    width + kw - 1 - upsampled.shape[2] - before[1],
  ];
  const framed = padOrCrop(tf, upsampled, before, after);
  const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as Tensor4D;
  return tf.conv2d(framed, flipped, 1, 'valid');
}

/** [B, H, W, C] → [B, (H−1)·sh + 1, (W−1)·sw + 1, C] with the values on the stride grid and zeros between. */
function insertZeros(tf: Tf, x: Tensor4D, [sh, sw]: Pair): Tensor4D {
  const [batch, height, width, channels] = x.shape;
  let result = x;
  if (sh > 1) {
    const rows = tf.pad(tf.reshape(result, [batch, height, 1, width * channels]), [
      [0, 0],
      [0, 0],
      [0, sh - 1],
      [0, 0],
    ]);
    result = tf.slice(tf.reshape(rows, [batch, height * sh, width, channels]) as Tensor4D, 0, [
      -1,
      (height - 1) * sh + 1,
      -1,
      -1,
    ]);
  }
  if (sw > 1) {
    const [, rowsNow] = result.shape;
    const cols = tf.pad(tf.reshape(result, [batch * rowsNow, width, 1, channels]), [
      [0, 0],
      [0, 0],
      [0, sw - 1],
      [0, 0],
    ]);
    result = tf.slice(tf.reshape(cols, [batch, rowsNow, width * sw, channels]) as Tensor4D, 0, [
      -1,
      -1,
      (width - 1) * sw + 1,
      -1,
    ]);
  }
  return result;
}

/** Pads (positive amounts) or crops (negative amounts) rows and columns on each side. */
function padOrCrop(tf: Tf, x: Tensor4D, before: Pair, after: Pair): Tensor4D {
  const padding = [before[0], after[0], before[1], after[1]];
  const padded = padding.some((p) => p > 0)
    ? tf.pad(x, [
        [0, 0],
        [Math.max(before[0], 0), Math.max(after[0], 0)],
        [Math.max(before[1], 0), Math.max(after[1], 0)],
        [0, 0],
      ])
    : x;
  if (padding.every((p) => p >= 0)) return padded;
  const [, h, w] = padded.shape;
  const top = Math.max(-before[0], 0);
  const left = Math.max(-before[1], 0);
  return tf.slice(
    padded,
    [0, top, left, 0],
    [-1, h - top - Math.max(-after[0], 0), w - left - Math.max(-after[1], 0), -1],
  );
}

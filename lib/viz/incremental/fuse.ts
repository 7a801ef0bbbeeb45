// Conv → batch norm → activation chains (MobileNet's every block) as one kernel: the batch norm folded
// into the convolution's weights and bias, the activation applied by the convolution kernel. The
// occlusion executor only reads the chain's end, so the layers in between become pass-throughs.
// Folding reorders float arithmetic: results move by float rounding (docs/viz.md), nothing more.
import type { LoadedModel } from '@/lib/models/types';
import type { Tensor, Tf } from '@/lib/tf';
import { convolutionRun, type FusedActivation, type PlannedLayer } from './plan';

type Config = Record<string, unknown>;

const PASS_THROUGH = { kind: 'pointwise', run: (x: Tensor) => x } as const;

/** The activation a ReLU or Activation layer applies, when a convolution kernel can apply it instead. */
function fusableActivation(className: string, config: Config): FusedActivation | undefined {
  if (className === 'Activation') {
    const name = config.activation;
    return name === 'relu' || name === 'relu6' ? name : undefined;
  }
  if (className === 'ReLU') {
    const max = config.maxValue ?? null;
    return max === null ? 'relu' : max === 6 ? 'relu6' : undefined;
  }
  return undefined;
}

/**
 * Folds y = γ·(conv(x) + b − μ)/√(σ² + ε) + β into conv(x, W·k) + (b − μ)·k + β with k = γ/√(σ² + ε)
 * per output channel, in float64 before rounding the new weights once.
 */
async function foldBatchNorm(
  tf: Tf,
  filter: Tensor,
  bias: Tensor | undefined,
  batchNorm: { weights: Tensor[]; config: Config },
): Promise<{ filter: Tensor; bias: Tensor }> {
  const { config } = batchNorm;
  // Read asynchronously: a GPU backend cannot read synchronously in every host (WebGPU in Node cannot at all).
  const [w, b, ...norm] = await Promise.all([filter, bias, ...batchNorm.weights].map((t) => t?.data()));
  const gamma = config.scale === false ? undefined : norm.shift();
  const beta = config.center === false ? undefined : norm.shift();
  const [mean, variance] = norm as [Float32Array, Float32Array];
  const epsilon = Number(config.epsilon ?? 1e-3);
  const channels = mean.length;
  const k = Float64Array.from(mean, (_, c) => (gamma ? gamma[c] : 1) / Math.sqrt(variance[c] + epsilon));
  // Output channels are the innermost dimension of both Conv2D [kh, kw, in, out] and depthwise
  // [kh, kw, in, multiplier] kernels (depthwise output channel c·multiplier + m).
  // A plain loop: Float32Array.from with a map function costs ~0.2 µs an element (~0.5 s for MobileNet).
  const folded = new Float32Array(w!.length);
  for (let i = 0; i < folded.length; i++) folded[i] = w![i] * k[i % channels];
  const shift = Float32Array.from(k, (kc, c) => ((b ? b[c] : 0) - mean[c]) * kc + (beta ? beta[c] : 0));
  return { filter: tf.tensor(folded, filter.shape), bias: tf.tensor1d(shift) };
}

function consumersOf(loaded: LoadedModel): Map<string, string[]> {
  const consumers = new Map<string, string[]>();
  for (const layer of loaded.layers) {
    for (const name of layer.inbound) consumers.set(name, [...(consumers.get(name) ?? []), layer.name]);
  }
  return consumers;
}

/**
 * The plan with each convolution that feeds only a batch norm (and that batch norm only an activation)
 * running as one fused kernel. `weights` are the folded tensors: the caller disposes them.
 */
export async function fuseConvolutions(
  tf: Tf,
  loaded: LoadedModel,
  plan: readonly PlannedLayer[],
): Promise<{ plan: PlannedLayer[]; weights: Tensor[] }> {
  const consumers = consumersOf(loaded);
  const byName = new Map(plan.map((p) => [p.info.name, p]));
  const soleConsumer = (name: string) => {
    const next = consumers.get(name);
    return next?.length === 1 ? byName.get(next[0]) : undefined;
  };
  const replaced = new Map<string, PlannedLayer>();
  const weights: Tensor[] = [];

  // Chains are disjoint, so the convolutions are folded side by side (their weight reads overlap).
  const fuseOne = async (planned: PlannedLayer): Promise<void> => {
    const { info, step } = planned;
    if (step.kind !== 'window' || !info.geometry) return;
    const className = info.className;
    if (className !== 'Conv2D' && className !== 'DepthwiseConv2D') return;
    const layer = loaded.model.getLayer(info.name);
    const config = layer.getConfig() as Config;
    if ((config.activation ?? 'linear') !== 'linear') return;

    let filter = layer.getWeights()[0];
    let bias: Tensor | undefined = layer.getWeights()[1];
    const chain: string[] = [];
    let tail = soleConsumer(info.name);
    if (tail?.info.className === 'BatchNormalization') {
      const bnLayer = loaded.model.getLayer(tail.info.name);
      const bnConfig = bnLayer.getConfig() as Config;
      if ([undefined, -1, 3].includes(bnConfig.axis as number)) {
        ({ filter, bias } = await foldBatchNorm(tf, filter, bias, {
          weights: bnLayer.getWeights(),
          config: bnConfig,
        }));
        weights.push(filter, bias);
        chain.push(tail.info.name);
        tail = soleConsumer(tail.info.name);
      }
    }
    let activation: FusedActivation = 'linear';
    const act =
      tail && fusableActivation(tail.info.className, loaded.model.getLayer(tail.info.name).getConfig());
    if (tail && act) {
      activation = act;
      chain.push(tail.info.name);
    }
    if (chain.length === 0) return;
    replaced.set(info.name, {
      info,
      step: {
        ...step,
        run: convolutionRun(tf, {
          depthwise: className === 'DepthwiseConv2D',
          filter,
          bias,
          geometry: info.geometry,
          activation,
        }),
      },
    });
    for (const name of chain) replaced.set(name, { info: byName.get(name)!.info, step: PASS_THROUGH });
  };
  await Promise.all(plan.map(fuseOne));
  return { plan: plan.map((p) => replaced.get(p.info.name) ?? p), weights };
}

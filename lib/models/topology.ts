// The layer graph read from model.json alone, before tf.js builds the model or sees a weight: the same LayerInfo
// list layerGraph(model) gives for the built model, so a model's size can be measured (and refused) first.
import { describeLayers, type LayerNode } from './graph';
import type { ModelJson } from './model-json';
import type { LayerInfo, LayerKind } from './types';

/** model.json describes a graph ConvLens cannot measure before loading it. */
export class TopologyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TopologyError';
  }
}

interface RawLayer {
  class_name?: unknown;
  name?: unknown;
  config?: unknown;
  inbound_nodes?: unknown;
}

const NESTED_MODELS = new Set(['Sequential', 'Model', 'Functional']);

export interface TopologyGraph {
  /** Every layer in topological order, the image input first. */
  layers: LayerInfo[];
  /** The model's output layer. */
  output: LayerInfo;
}

/** The layer graph with output shapes computed from the topology; throws TopologyError naming the layer. */
export function topologyGraph(modelJson: ModelJson): TopologyGraph {
  const { nodes, output } = topologyNodes(modelJson);
  try {
    const layers = describeLayers(nodes, declaredShape);
    for (const layer of layers) {
      if (!layer.outputShape.every((dim) => Number.isSafeInteger(dim) && dim >= 1)) {
        throw new TopologyError(
          `layer ${layer.name} (${layer.className}) would output [${layer.outputShape.join(', ')}]: ` +
            'every dimension must be a whole number of at least 1',
        );
      }
    }
    return { layers, output: layers.find((layer) => layer.name === output)! };
  } catch (error) {
    if (error instanceof TopologyError) throw error;
    throw new TopologyError((error as Error).message);
  }
}

/** How many values a layer outputs for one image. */
export function layerValues(layer: Pick<LayerInfo, 'outputShape'>): number {
  return layer.outputShape.reduce((product, dim) => product * dim, 1);
}

function topologyNodes(modelJson: ModelJson): { nodes: LayerNode[]; output: string } {
  const topology = modelJson.modelTopology as Record<string, unknown>;
  const root = (topology.model_config ?? topology) as RawLayer;
  const config = root.config as { layers?: unknown; output_layers?: unknown } | unknown[] | undefined;
  const raw = Array.isArray(config) ? config : config?.layers;
  if (!Array.isArray(raw) || raw.length === 0) throw new TopologyError('model.json lists no layers');
  const layers = raw.map((layer, index) => rawLayer(layer, index));
  const sequential = root.class_name === 'Sequential';
  const nodes = sequential ? sequentialNodes(layers) : layers;
  const inputs = nodes.filter((node) => node.className === 'InputLayer');
  if (inputs.length !== 1) throw new TopologyError(`the model has ${inputs.length} inputs, expected 1`);
  const ordered = topologicalOrder(nodes);
  const outputs = sequential || Array.isArray(config) ? undefined : (config?.output_layers as unknown);
  if (Array.isArray(outputs) && outputs.length !== 1) {
    throw new TopologyError(`the model has ${outputs.length} outputs, expected 1`);
  }
  const output = Array.isArray(outputs) && Array.isArray(outputs[0]) ? outputs[0][0] : undefined;
  if (output !== undefined && !nodes.some((node) => node.name === output)) {
    throw new TopologyError(`the model's output names unknown layer ${String(output)}`);
  }
  return { nodes: ordered, output: (output as string | undefined) ?? ordered[ordered.length - 1].name };
}

function rawLayer(json: unknown, index: number): Required<Pick<RawLayer, 'config'>> & LayerNode {
  const layer = (typeof json === 'object' && json !== null ? json : {}) as RawLayer;
  const config = (typeof layer.config === 'object' && layer.config !== null ? layer.config : {}) as Record<
    string,
    unknown
  >;
  const className = typeof layer.class_name === 'string' ? layer.class_name : '';
  const name = typeof layer.name === 'string' ? layer.name : config.name;
  if (!className || typeof name !== 'string' || !name) {
    throw new TopologyError(`layer ${index + 1} of model.json has no class_name or name`);
  }
  if (NESTED_MODELS.has(className)) {
    throw new TopologyError(`layer ${name} is a nested ${className}; flatten it into one model`);
  }
  return { name, className, config: camelKeys(config), inbound: inboundOf(layer, name) };
}

/** Keras 2 / tf.js: inbound_nodes = [[[layerName, nodeIndex, tensorIndex, kwargs], …]]. */
function inboundOf(layer: RawLayer, name: string): string[] {
  const nodes = layer.inbound_nodes;
  if (nodes === undefined || (Array.isArray(nodes) && nodes.length === 0)) return [];
  if (!Array.isArray(nodes) || nodes.length !== 1 || !Array.isArray(nodes[0])) {
    throw new TopologyError(
      `layer ${name} is applied ${Array.isArray(nodes) ? nodes.length : 'an unknown number of'} times; ` +
        'shared layers are not supported',
    );
  }
  return (nodes[0] as unknown[]).map((entry) => {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') {
      throw new TopologyError(`layer ${name} has an inbound node ConvLens cannot read`);
    }
    return entry[0];
  });
}

/** tf.js names the implicit input of a Sequential model after its first layer. */
function sequentialNodes(layers: LayerNode[]): LayerNode[] {
  const nodes: LayerNode[] = [];
  const [first] = layers;
  if (first.className !== 'InputLayer') {
    const batchInputShape = first.config.batchInputShape ?? first.config.inputShape;
    nodes.push({
      name: `${first.name}_input`,
      className: 'InputLayer',
      config: {
        batchInputShape: first.config.batchInputShape ? batchInputShape : [null, ...asArray(batchInputShape)],
      },
      inbound: [],
    });
  }
  for (const layer of layers) {
    const previous = nodes[nodes.length - 1];
    nodes.push({ ...layer, inbound: previous ? [previous.name] : [] });
  }
  return nodes;
}

/** Kahn's algorithm, keeping the file's order among layers that are ready. */
function topologicalOrder(nodes: LayerNode[]): LayerNode[] {
  const byName = new Map<string, LayerNode>();
  for (const node of nodes) {
    if (byName.has(node.name)) throw new TopologyError(`two layers are named ${node.name}`);
    byName.set(node.name, node);
  }
  for (const node of nodes) {
    for (const inbound of node.inbound) {
      if (!byName.has(inbound)) throw new TopologyError(`layer ${node.name} reads unknown layer ${inbound}`);
    }
  }
  const ordered: LayerNode[] = [];
  const placed = new Set<string>();
  while (ordered.length < nodes.length) {
    const ready = nodes.find((node) => !placed.has(node.name) && node.inbound.every((n) => placed.has(n)));
    if (!ready) throw new TopologyError('the layers form a cycle');
    ordered.push(ready);
    placed.add(ready.name);
  }
  return ordered;
}

/** Output shape (no batch dimension) of one layer from its inputs' shapes, as tf.js computes it. */
function declaredShape(node: LayerNode, kind: LayerKind, inputs: number[][]): number[] {
  const { config } = node;
  const where = `layer ${node.name} (${node.className})`;
  if (kind === 'input') {
    const shape = asArray(config.batchInputShape).slice(1);
    if (shape.length === 0 || !shape.every((dim) => typeof dim === 'number')) {
      throw new TopologyError(`${where}: the input needs a fixed shape, got [${shape.join(', ')}]`);
    }
    return shape as number[];
  }
  const [input] = inputs;
  if (!input) throw new TopologyError(`${where} has no input`);
  const image = () => {
    if (input.length !== 3) throw new TopologyError(`${where} expects an image-shaped input`);
    return input;
  };
  switch (kind) {
    case 'conv2d':
    case 'separable-conv2d':
      return [...image().slice(0, 2), count(config.filters, 'filters', where)];
    case 'depthwise-conv2d':
      return [
        ...image().slice(0, 2),
        image()[2] * count(config.depthMultiplier ?? 1, 'depthMultiplier', where),
      ];
    case 'max-pool':
    case 'avg-pool':
    case 'zero-padding':
    case 'cropping':
      return image();
    case 'pointwise':
      return input;
    case 'add':
      return input.map((_, axis) => Math.max(...inputs.map((shape) => shape[axis] ?? 1)));
    case 'concatenate':
      return concatenated(inputs, config.axis, where);
    case 'global-pool':
      return config.keepDims === true ? [1, 1, image()[2]] : [image()[2]];
    case 'flatten':
      return [input.reduce((product, dim) => product * dim, 1)];
    case 'reshape':
      return reshaped(input, config.targetShape, where);
    case 'dense':
      return [...input.slice(0, -1), count(config.units, 'units', where)];
    case 'other':
      throw new TopologyError(
        `${where}: ConvLens cannot measure this layer type before loading the model ` +
          '(supported: convolutions, pooling, padding, cropping, merges, activations, normalisation, ' +
          'dropout, flatten, reshape, dense)',
      );
  }
}

function concatenated(inputs: number[][], axisValue: unknown, where: string): number[] {
  const rank = inputs[0].length;
  const axis = typeof axisValue === 'number' ? axisValue : -1;
  // Keras counts the batch axis; shapes here do not.
  const index = axis < 0 ? rank + axis : axis - 1;
  if (index < 0 || index >= rank || inputs.some((shape) => shape.length !== rank)) {
    throw new TopologyError(`${where}: cannot concatenate shapes ${inputs.map((s) => `[${s}]`).join(', ')}`);
  }
  return inputs[0].map((dim, i) => (i === index ? inputs.reduce((sum, shape) => sum + shape[i], 0) : dim));
}

function reshaped(input: number[], target: unknown, where: string): number[] {
  const shape = asArray(target);
  if (shape.length === 0 || !shape.every((dim) => Number.isInteger(dim) && (dim as number) !== 0)) {
    throw new TopologyError(`${where}: targetShape must be a list of whole numbers`);
  }
  const values = input.reduce((product, dim) => product * dim, 1);
  const known = (shape as number[]).filter((dim) => dim !== -1).reduce((product, dim) => product * dim, 1);
  const unknown = (shape as number[]).filter((dim) => dim === -1).length;
  const resolved = (shape as number[]).map((dim) => (dim === -1 ? values / known : dim));
  if (unknown > 1 || (unknown === 0 && known !== values) || !resolved.every(Number.isInteger)) {
    throw new TopologyError(`${where}: cannot reshape [${input.join(', ')}] to [${shape.join(', ')}]`);
  }
  return resolved;
}

function count(value: unknown, field: string, where: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new TopologyError(`${where}: ${field} must be a whole number of at least 1`);
  }
  return value;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Keras writes config keys in snake_case, tf.js reads camelCase: the keys the graph reads, converted. */
function camelKeys(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      key.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase()),
      value,
    ]),
  );
}

// "What am I seeing": one plain paragraph per view and one per kind of layer, for the class to read
// beside the picture. Isomorphic text, so the console, the projector, student screens and replays agree.
import type { View } from '../protocol/actions';
import type { LayerInfo, LayerKind } from '../protocol/model';

export const VIEW_EXPLANATIONS: Record<View, string> = {
  'receptive-field':
    'Each neuron of a convolutional layer looks at only part of the image: its receptive field, the box drawn ' +
    'on the photo. Early layers see a few pixels; every convolution or pooling layer after them widens the box, ' +
    'which is why deep neurons can respond to whole objects. The grid shows where the neurons of the chosen ' +
    'layer sit; the dashed part of a box reaches into padding outside the image.',
  activations:
    'These are the feature maps of one layer for this photo: one small picture per channel, bright where that ' +
    "channel's neurons respond strongly and dark where they stay quiet. Each map is stretched over its own " +
    'range, so compare shapes, not brightness, between maps; the number under each map is its peak. Pick a ' +
    'neuron on the large map to see its receptive field on the photo.',
  'top-activating':
    'For each chosen channel, these are the photos of the image set that make it fire hardest, strongest first. ' +
    'The white box marks the receptive field of the single neuron that fired most, so it shows which part of ' +
    'the photo the channel reacted to. What the photos have in common is a good guess at what the channel detects.',
  filters:
    'A convolution layer slides each of its filters over its input and adds up the products. For the first ' +
    'layer the filters act on colours directly, so they can be drawn as small pictures: edges, stripes and colour ' +
    'blobs. Deeper filters act on many channels at once and their pictures are harder to read; similar filters ' +
    'are outlined, because two near-copies do the same work.',
  occlusion:
    'A grey patch is slid over the photo and the network is asked again each time. Where covering the photo ' +
    'makes the probability of the class drop, the map turns red: the network needed that part to decide. A drop ' +
    'of 0.30 means the class went, say, from 0.90 to 0.60 with the patch there. Where the photo shows through ' +
    'untinted, covering changed little (or even helped the class).',
  'feature-vis':
    'Starting from noise, the image is changed step by step to make one channel (or class) respond as strongly ' +
    "as possible: the result is what that neuron 'wants' to see. The photos beside it are real images that " +
    'fire the same channel, for comparison; a feature visualisation exaggerates, photos keep it honest.',
};

const KIND_EXPLANATIONS: Partial<Record<LayerKind, string>> = {
  input: 'The input layer is the photo itself, resized and normalised the way the model was trained.',
  conv2d:
    'A convolution layer: every output channel is one filter slid across all input channels; its receptive ' +
    'field grows by the kernel size minus one, times the spacing of its input.',
  'depthwise-conv2d':
    'A depthwise convolution filters each input channel on its own (one small kernel per channel) instead of ' +
    'mixing channels; the pointwise 1×1 layer after it does the mixing. Together they cost far less than a full ' +
    'convolution, which is how MobileNet stays small.',
  'separable-conv2d':
    'A separable convolution is a depthwise convolution (each channel on its own) followed by a 1×1 pointwise ' +
    'convolution that mixes the channels.',
  'max-pool':
    'Max pooling keeps the largest value of each small window: the map shrinks and a feature still counts if it ' +
    'moves a little. It has no weights, and it widens the receptive field of every later layer.',
  'avg-pool':
    'Average pooling replaces each small window by its mean: the map shrinks, details blur, and the receptive ' +
    'field of every later layer widens. It has no weights.',
  'global-pool':
    'Global pooling reduces each whole map to one number (its mean or maximum): after it, the network knows ' +
    'which features are present but no longer where.',
  'zero-padding':
    'Zero padding adds a border of zeros so the next layer can centre its kernel on edge pixels.',
  cropping: 'Cropping cuts a border off the maps.',
  concatenate: 'Concatenation stacks the channels of several branches side by side.',
  add: 'Addition sums two branches of the same shape: a residual connection lets the signal skip layers.',
  pointwise:
    'An element-wise layer (activation, normalisation): each value is changed on its own, so the receptive ' +
    'field does not grow.',
  flatten: 'Flatten lays the maps out as one long list of numbers for the dense layers that follow.',
  reshape: 'Reshape changes the layout of the numbers without changing them.',
  dense:
    'A dense (fully connected) layer: every output looks at every input value, so its receptive field is the ' +
    'whole image. The last dense layer gives one score per class.',
};

const ONE_BY_ONE =
  'Its kernels are 1×1: each one looks at a single position and mixes the channels there, so a filter has ' +
  'no spatial picture to draw (every tile would be one flat colour). What it does is choose how much of each ' +
  'input channel to add up: a recipe, not a shape.';

/** Whether a convolution's kernels are 1×1 (nothing spatial to draw). */
export function isOneByOne(layer: Pick<LayerInfo, 'kind' | 'geometry'>): boolean {
  const kernel = layer.geometry?.kernel;
  return (
    (layer.kind === 'conv2d' || layer.kind === 'separable-conv2d') &&
    kernel !== undefined &&
    kernel[0] === 1 &&
    kernel[1] === 1
  );
}

/** What the chosen layer does, in one paragraph (null for kinds without a note). */
export function layerExplanation(layer: Pick<LayerInfo, 'kind' | 'geometry' | 'name'>): string | null {
  const kind = KIND_EXPLANATIONS[layer.kind];
  if (isOneByOne(layer)) return `${layer.name} is a 1×1 (pointwise) convolution. ${ONE_BY_ONE}`;
  return kind ? `${layer.name}: ${kind}` : null;
}

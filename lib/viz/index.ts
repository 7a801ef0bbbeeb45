// The public surface of lib/viz: what the app, the server, the CLI and the benches use. Every
// computation takes the tfjs namespace it runs on (lib/tf.ts) and a loaded model, then an options
// object whose fields have defaults. Modules not re-exported here are internal to lib/viz.

export { type FeatureMaps, featureMaps } from './activations';
export { type ActivationAtlas, buildAtlas, queryAtlas } from './atlas';
export { atlasFromBytes, atlasToBytes } from './atlas-codec';
export { isOneByOne, layerExplanation, VIEW_EXPLANATIONS } from './explain';
export {
  FEATURE_VIS_LIMITS,
  type FeatureVisObjective,
  type FeatureVisResult,
  type FeatureVisSettings,
  featureVisualization,
} from './feature-vis';
export { bestImagesPerChannel, channelMeans, selectivity } from './feature-vis/measure';
export {
  convLayerNames,
  type FilterBank,
  type FilterSimilarity,
  filterSimilarity,
  filterWeights,
  meanOverInputChannels,
  nearDuplicates,
  preferredInputs,
  readFilterBank,
  renderColourFilters,
  renderMeanTiles,
  type SimilarFilters,
  similarityOrder,
  type TileNormalization,
} from './filters';
export type { PixelImage, RgbaTile } from './image';
export {
  coarseStrideFor,
  gridCells,
  type OcclusionApproximation,
  type OcclusionFill,
  type OcclusionMap,
  type OcclusionMethod,
  type OcclusionMode,
  type OcclusionOptions,
  occludedProbability,
  occlusionMap,
  type ProbeOptions,
} from './occlusion';
export { type DrillDownOptions, drillDown } from './occlusion-adaptive';
export { dropExtent, pixelDrop } from './occlusion-overlay';
export { argMax, predictImage } from './predict';
export {
  clipBox,
  layerReceptiveFields,
  type NeuronReceptiveField,
  neuronBox,
  neuronReceptiveField,
} from './receptive-field';
export {
  type ChannelTopActivations,
  type ImageSource,
  layerReceptiveFieldOf,
  type ReceptiveFieldOf,
  type SourceImage,
  type TopActivatingOptions,
  type TopActivatingResult,
  type TopActivation,
  topActivating,
} from './top-activating';

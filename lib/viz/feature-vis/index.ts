// Feature visualisation: an image optimised to excite a channel, a neuron or a class (see docs/viz.md).

export {
  type FeatureVisRequest,
  type FeatureVisResult,
  type FeatureVisRunOptions,
  featureVisualization,
} from './optimize';
export {
  FEATURE_VIS_LIMITS,
  type FeatureVisObjective,
  type FeatureVisSettings,
  type TransformSettings,
} from './options';

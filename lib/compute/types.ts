// Result shapes live in the protocol (lib/protocol/results.ts); this module only names them for lib/compute.

export type { ModelManifest } from '../protocol/model';
export type {
  ComputeResults,
  FiltersResult,
  ModelInfoResult,
  PredictResult,
  ProbeResult,
} from '../protocol/results';

// Feature visualisation speed alone (the same table as `npm run bench -- --only feature-vis`, not written into
// docs): see bench/feature-vis-bench.ts.
// Usage: npm run bench:feature-vis -- [--models mnist-cnn,mobilenet-v1-0.75,squeezenet-1.0] [--steps 256]
//   [--limit 1000]
import { parseArgs } from 'node:util';
import { backendLabel, initComputeBackend } from '@/server/compute/backend';
import { packsDirFromEnv } from '@/server/models/paths';
import { FEATURE_VIS_TARGETS, featureVisSpeed } from './feature-vis-bench';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      models: { type: 'string', default: FEATURE_VIS_TARGETS.map((t) => t.model).join(',') },
      steps: { type: 'string', default: '256' },
      limit: { type: 'string', default: '1000' },
      backend: { type: 'string', default: 'wasm' },
    },
  });
  process.env.CONVLENS_BACKEND = values.backend;
  const backend = backendLabel(await initComputeBackend());
  const table = await featureVisSpeed({
    packsDir: packsDirFromEnv(),
    models: values.models.split(','),
    steps: Number(values.steps),
    limit: Number(values.limit),
  });
  console.log(`## Feature visualisation (${backend})\n\n${table}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

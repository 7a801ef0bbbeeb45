// Shared by the commands: the options every command accepts, and loading --model / --image with the
// server's compute backend.

import type { LoadedModel } from '@/lib/models/types';
import type { Tensor4D } from '@/lib/tf';
import { initComputeBackend, tf } from '@/server/compute/backend';
import { imageToInputTensor } from '@/server/images/decode';
import { loadServerModel } from '@/server/models/load';
import { CliError, type OptionSpecs, type OptionValues, requireOption } from './command';

export const COMMON_OPTIONS: OptionSpecs = {
  model: { type: 'string', short: 'm', default: 'mnist-cnn' },
  image: { type: 'string', short: 'i' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};

export const COMMON_USAGE = [
  '  --model, -m <id|dir|url>  built-in id (default mnist-cnn), pack id, model directory or https URL',
  '  --image, -i <file>        JPEG or PNG (for commands that run the model)',
  '  --json                    machine-readable output',
];

export async function loadModelOption(options: OptionValues): Promise<LoadedModel> {
  const reference = requireOption(options, 'model');
  await initComputeBackend();
  tf.enableProdMode(); // no "install tfjs-node" banner on stderr
  try {
    return await loadServerModel(tf, reference);
  } catch (error) {
    throw new CliError(`cannot load model "${reference}": ${(error as Error).message}`);
  }
}

/** The --image file decoded and preprocessed for the model; the caller disposes the tensor. */
export async function loadImageOption(options: OptionValues, loaded: LoadedModel): Promise<Tensor4D> {
  const path = requireOption(options, 'image');
  try {
    return await imageToInputTensor(tf, path, loaded.manifest);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}

export { tf };

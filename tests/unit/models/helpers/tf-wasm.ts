// Tests run on the wasm backend (as the server and the training script do), with the gradient kernels
// the backend lacks registered from lib/models, and its fast input gradient for convolutions.
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { registerWasmGradientKernels } from '@/lib/models/wasm-gradient-kernels';

export async function useWasm(): Promise<typeof tf> {
  registerWasmGradientKernels(tf, { fastConvInputGradient: true });
  if (tf.getBackend() !== 'wasm') {
    if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start');
  }
  await tf.ready();
  return tf;
}

export { tf };

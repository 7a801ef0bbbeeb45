// The tfjs namespace the viz code receives. Server and browser pass their own
// initialised instance (same package, different backend), so lib/ never picks one.
export type Tf = typeof import('@tensorflow/tfjs');
export type { LayersModel, Tensor, Tensor3D, Tensor4D } from '@tensorflow/tfjs';

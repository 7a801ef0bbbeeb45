// A compute worker for isolation tests: the real runner, except that a predict request for the image
// "mnist/029-3.png" executes a genuine WebAssembly trap (a real image, so that the server's catalog lets the
// request through to the worker; the tests that use this worker ask nothing else of that image). Afterwards this
// worker is broken the way a wasm instance with corrupt memory is: every later job fails ("memory access out of
// bounds"), so only a pool that replaces it recovers.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { serveJobs } = await import('../../server/compute/job-loop.ts');
const { createWorkerRunner } = await import('../../server/compute/runner.ts');

export const TRAP_IMAGE = 'mnist/029-3.png';

// (module (func (export "trap") unreachable))
const bytes = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
  0x07, 0x08, 0x01, 0x04, 0x74, 0x72, 0x61, 0x70, 0x00, 0x00, 0x0a, 0x05, 0x01, 0x03, 0x00, 0x00, 0x0b,
]);
const { trap } = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
const real = createWorkerRunner();
let corrupt = false;

serveJobs(parentPort, workerData.cancel, async (request, options) => {
  if (corrupt) throw new WebAssembly.RuntimeError('memory access out of bounds');
  if (request.kind === 'predict' && request.imageId === TRAP_IMAGE) {
    corrupt = true;
    trap();
  }
  return real(request, options);
});

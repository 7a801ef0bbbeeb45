import { beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '@/lib/models/load';
import {
  checkWeightFiles,
  DEFAULT_UPLOAD_LIMITS,
  validateModelJson,
  weightByteLength,
} from '@/lib/models/model-json';
import { acceptUpload, type ModelUpload } from '@/server/models/upload';
import { tf, useWasm } from './helpers/tf-wasm';

/** A real small model saved to model.json + one weight file, as a browser upload would send it. */
async function savedModel(): Promise<{ model: tf.LayersModel; upload: ModelUpload }> {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [12, 12, 3], filters: 4, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  let upload: ModelUpload | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const modelJson = {
        format: 'layers-model',
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      };
      const data = new Uint8Array(artifacts.weightData as ArrayBuffer);
      upload = { modelJson: JSON.stringify(modelJson), weights: [{ name: 'weights.bin', data }] };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return { model, upload: upload! };
}

interface EditableModelJson {
  format?: string;
  modelTopology?: unknown;
  weightsManifest: { paths: string[]; weights: { dtype: string }[] }[];
}

function withModelJson(upload: ModelUpload, edit: (json: EditableModelJson) => void): ModelUpload {
  const json = JSON.parse(upload.modelJson as string);
  edit(json);
  return { ...upload, modelJson: JSON.stringify(json) };
}

describe('acceptUpload', () => {
  let original: tf.LayersModel;
  let upload: ModelUpload;

  beforeAll(async () => {
    await useWasm();
    ({ model: original, upload } = await savedModel());
  });

  it('accepts a valid model, infers a manifest, and loads to the same predictions', async () => {
    const accepted = acceptUpload(upload);
    expect(accepted.manifest).toMatchObject({
      id: expect.stringMatching(/^upload-[0-9a-f]{32}$/),
      inputSize: { height: 12, width: 12, channels: 3 },
      output: 'softmax',
    });
    expect(accepted.origin).toEqual({ kind: 'upload', location: accepted.manifest.id });
    const before = tf.memory().numTensors;
    const loaded = await loadModel(tf, accepted);
    expect(accepted.manifest.labels).toEqual(['class 0', 'class 1', 'class 2']);
    expect(loaded.manifest.labels).toEqual(accepted.manifest.labels);
    const input = tf.randomUniform([1, 12, 12, 3], 0, 1, 'float32', 7);
    const [a, b] = [original.predict(input) as tf.Tensor, loaded.model.predict(input) as tf.Tensor];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([input, a, b]);
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('uses a manifest sent with the model, checked like any other', async () => {
    const accepted = acceptUpload({
      ...upload,
      manifest: {
        id: 'shapes',
        labels: ['circle', 'square', 'star'],
        inputSize: { height: 12, width: 12, channels: 3 },
      },
    });
    // The id is always the content's: a manifest cannot claim another model's name.
    expect(accepted.manifest.id).toMatch(/^upload-[0-9a-f]{32}$/);
    const loaded = await loadModel(tf, accepted);
    expect(loaded.manifest.labels).toEqual(['circle', 'square', 'star']);
    loaded.dispose();
    expect(() => acceptUpload({ ...upload, manifest: { output: 'scores' } })).toThrow(
      /uploaded manifest.*output: .*"softmax"\|"logits"/,
    );
  });

  it('rejects weight files whose size differs from shape × dtype, naming the weights', () => {
    const short = { ...upload, weights: [{ name: 'weights.bin', data: upload.weights[0].data.subarray(1) }] };
    expect(() => acceptUpload(short)).toThrow(
      /weight group 1 \(weights\.bin\): its 4 weights need 1660 bytes \(.*kernel \[3×3×3×4\] float32.*\), the files hold 1659/,
    );
  });

  it('rejects missing, extra and duplicated files', () => {
    expect(() => acceptUpload({ ...upload, weights: [] })).toThrow(/weight file "weights\.bin" is missing/);
    const extra = { ...upload, weights: [...upload.weights, { name: 'notes.txt', data: new Uint8Array(3) }] };
    expect(() => acceptUpload(extra)).toThrow(
      /file "notes\.txt" is not listed in model\.json weightsManifest/,
    );
    const twice = { ...upload, weights: [...upload.weights, ...upload.weights] };
    expect(() => acceptUpload(twice)).toThrow(/file "weights\.bin" was sent twice/);
  });

  it('rejects path traversal in file names and in model.json weight paths', () => {
    const named = { ...upload, weights: [{ name: '../weights.bin', data: upload.weights[0].data }] };
    expect(() => acceptUpload(named)).toThrow(/weight file "\.\.\/weights\.bin" must be a plain file name/);
    const listed = withModelJson(upload, (json) => {
      json.weightsManifest[0].paths = ['../../etc/passwd'];
    });
    expect(() => acceptUpload(listed)).toThrow(
      /weight path "\.\.\/\.\.\/etc\/passwd" must be a plain relative path/,
    );
  });

  it('rejects weight files in sub-folders and weight files named like the model files', () => {
    const rename = (name: string) =>
      withModelJson({ ...upload, weights: [{ name, data: upload.weights[0].data }] }, (json) => {
        json.weightsManifest[0].paths = [name];
      });
    expect(() => acceptUpload(rename('sub/weights.bin'))).toThrow(
      /weight file "sub\/weights\.bin" must be a plain file name/,
    );
    expect(() => acceptUpload(rename('model.json'))).toThrow(/weight file "model\.json" has a name reserved/);
    expect(() => acceptUpload(rename('Manifest.JSON'))).toThrow(/"Manifest\.JSON" has a name reserved/);
    expect(() => acceptUpload(rename('.hidden'))).toThrow(/must be a plain file name/);
  });

  it('gives an id that changes with the weights and the manifest, not only with model.json', () => {
    const id = acceptUpload(upload).manifest.id;
    expect(acceptUpload(upload).manifest.id).toBe(id);
    const zeros = { ...upload, weights: [{ name: 'weights.bin', data: new Uint8Array(1660) }] };
    expect(acceptUpload(zeros).manifest.id).not.toBe(id);
    const named = { ...upload, manifest: { name: 'Renamed' } };
    expect(acceptUpload(named).manifest.id).not.toBe(id);
    // A manifest that only restates what is inferred describes the same model.
    const restated = { ...upload, manifest: { labels: ['class 0', 'class 1', 'class 2'] } };
    expect(acceptUpload(restated).manifest.id).toBe(id);
  });

  it('checks a sent manifest against the model: input size and one label per output', () => {
    expect(() => acceptUpload({ ...upload, manifest: { labels: ['a', 'b'] } })).toThrow(
      /labels lists 2 names but the model has 3 outputs/,
    );
    expect(() =>
      acceptUpload({ ...upload, manifest: { inputSize: { height: 24, width: 12, channels: 3 } } }),
    ).toThrow(/inputSize is \[24, 12, 3\] but the model takes \[12, 12, 3\]/);
    expect(() => acceptUpload({ ...upload, manifest: ['not', 'an', 'object'] })).toThrow(
      /expected a JSON object/,
    );
  });

  it('measures activations from the topology and refuses a model over the limit, naming the layer', () => {
    // The largest layer here is the 12×12×3 input itself (as with a 4096×4096×3 upload).
    expect(() => acceptUpload(upload, { modelLimits: { maxLayerValues: 431, maxTotalValues: 1e9 } })).toThrow(
      /layer \w+_input \(InputLayer\) outputs 12×12×3 = 432 values per image; the limit is 431 per layer/,
    );
    expect(() => acceptUpload(upload, { modelLimits: { maxLayerValues: 1e9, maxTotalValues: 500 } })).toThrow(
      /the model.s 5 layers output 1,035 values per image together; the limit is 500/,
    );
  });

  it('enforces size caps', () => {
    expect(() =>
      acceptUpload(upload, { limits: { ...DEFAULT_UPLOAD_LIMITS, maxWeightBytes: 1000 } }),
    ).toThrow(/weights total 1660 bytes, the limit is 1000/);
    expect(() =>
      acceptUpload(upload, { limits: { ...DEFAULT_UPLOAD_LIMITS, maxModelJsonBytes: 100 } }),
    ).toThrow(/model\.json is \d+ bytes, the limit is 100/);
    expect(() => acceptUpload(upload, { limits: { ...DEFAULT_UPLOAD_LIMITS, maxWeightFiles: 0 } })).toThrow(
      /1 weight files, the limit is 0/,
    );
  });

  it('explains malformed model.json', () => {
    expect(() => acceptUpload({ ...upload, modelJson: '{"modelTopology":' })).toThrow(
      /model\.json is not JSON/,
    );
    const graph = withModelJson(upload, (json) => {
      json.format = 'graph-model';
    });
    expect(() => acceptUpload(graph)).toThrow(/model\.json format: only "layers-model" is supported/);
    const noTopology = withModelJson(upload, (json) => {
      delete json.modelTopology;
    });
    expect(() => acceptUpload(noTopology)).toThrow(/model\.json modelTopology/);
    const strings = withModelJson(upload, (json) => {
      json.weightsManifest[0].weights[0].dtype = 'string';
    });
    expect(() => acceptUpload(strings)).toThrow(/dtype: .*"float32"\|"int32"\|"bool"/);
  });
});

describe('weight byte lengths', () => {
  it('counts quantized weights in their stored dtype', () => {
    expect(weightByteLength({ name: 'k', shape: [3, 3, 1, 2], dtype: 'float32' })).toBe(72);
    expect(
      weightByteLength({
        name: 'k',
        shape: [3, 3, 1, 2],
        dtype: 'float32',
        quantization: { dtype: 'uint8', scale: 0.1, min: -1 },
      }),
    ).toBe(18);
    expect(
      weightByteLength({ name: 'k', shape: [5], dtype: 'float32', quantization: { dtype: 'float16' } }),
    ).toBe(10);
    expect(weightByteLength({ name: 'b', shape: [], dtype: 'int32' })).toBe(4);
  });

  it('sums shards of a group, so a weight may span files', () => {
    const modelJson = validateModelJson({
      modelTopology: { class_name: 'Sequential', config: [] },
      weightsManifest: [
        { paths: ['a.bin', 'b.bin'], weights: [{ name: 'w', shape: [10], dtype: 'float32' }] },
      ],
    });
    expect(() =>
      checkWeightFiles(
        modelJson,
        new Map([
          ['a.bin', 24],
          ['b.bin', 16],
        ]),
      ),
    ).not.toThrow();
    expect(() => checkWeightFiles(modelJson, new Map([['a.bin', 40]]))).toThrow(
      /weight file "b\.bin" is missing/,
    );
  });
});

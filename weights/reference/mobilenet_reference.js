// Reference outputs of weights/mobilenet_v2_mid computed by TensorFlow.js (CPU backend), for
// src/test/java/saliency/model/tfjs/MobileNetV2FeaturesTest.
//
// Reads src/test/resources/tfjs/mobilenet_inputs.u8.gz ((N, 224, 224, 3) bytes, written by that test's
// writeReferenceInputs) and mobilenet_inputs.names, feeds q / 255 as float32, and writes
// src/test/resources/tfjs/mobilenet_reference.json with each image's 5 class probabilities and 1792 pooled features.
//
// Run from the repository root with @tensorflow/tfjs installed outside the repository:
//   mkdir -p /tmp/tfjs-ref && (cd /tmp/tfjs-ref && npm install @tensorflow/tfjs@4.22.0)
//   NODE_PATH=/tmp/tfjs-ref/node_modules node weights/reference/mobilenet_reference.js
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const tf = require('@tensorflow/tfjs');

const MODEL_DIR = 'weights/mobilenet_v2_mid';
const RES = 'src/test/resources/tfjs';
const PREFIX = 'StatefulPartitionedCall/sequential/keras_layer/StatefulPartitionedCall/StatefulPartitionedCall/'
  + 'StatefulPartitionedCall/predict/';
const POOLED = PREFIX + 'feature_vector/SpatialSqueeze';
const PROBABILITIES = 'Identity';

async function main() {
  await tf.setBackend('cpu');
  const json = JSON.parse(fs.readFileSync(path.join(MODEL_DIR, 'model.json'), 'utf8'));
  const specs = [];
  const parts = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) parts.push(fs.readFileSync(path.join(MODEL_DIR, p)));
  }
  const all = Buffer.concat(parts);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  const model = await tf.loadGraphModel(tf.io.fromMemory({
    modelTopology: json.modelTopology, weightSpecs: specs, weightData,
    format: json.format, generatedBy: json.generatedBy, convertedBy: json.convertedBy,
    userDefinedMetadata: json.userDefinedMetadata,
  }));

  const names = fs.readFileSync(path.join(RES, 'mobilenet_inputs.names'), 'utf8').split('\n').filter((s) => s);
  const bytes = zlib.gunzipSync(fs.readFileSync(path.join(RES, 'mobilenet_inputs.u8.gz')));
  const per = 224 * 224 * 3;
  if (bytes.length !== names.length * per) throw new Error('inputs hold ' + bytes.length + ' bytes for ' + names.length + ' images');
  const input = tf.tensor4d(Float32Array.from(bytes, (q) => q / 255), [names.length, 224, 224, 3], 'float32');
  const [pooled, probs] = model.execute(input, [POOLED, PROBABILITIES]);
  const p = await probs.data();
  const f = await pooled.data();
  const images = names.map((name, i) => ({
    name,
    probabilities: Array.from(p.slice(i * 5, (i + 1) * 5)),
    pooled: Array.from(f.slice(i * 1792, (i + 1) * 1792)),
  }));
  const out = {
    model: MODEL_DIR,
    computedBy: '@tensorflow/tfjs ' + tf.version.tfjs + ', backend ' + tf.getBackend() + ', node ' + process.version,
    input: 'mobilenet_inputs.u8.gz, q / 255 as float32, shape [' + names.length + ', 224, 224, 3]',
    images,
  };
  fs.writeFileSync(path.join(RES, 'mobilenet_reference.json'), JSON.stringify(out) + '\n');
  for (const im of images) console.log(im.name, im.probabilities.map((v) => v.toFixed(6)).join(' '));
}

main().catch((e) => { console.error(e); process.exit(1); });

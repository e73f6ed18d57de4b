// Reference output of weights/selfie computed by TensorFlow.js (CPU backend), for
// src/test/java/saliency/model/tfjs/SelfieSegmenterTest.
//
// Reads src/test/resources/tfjs/selfie_input.u8.gz ((256, 256, 3) bytes, written by that test's writeReferenceInput:
// DAVIS blackswan_00000.jpg stretched to 256x256 and rounded to 8 bits), feeds q / 255 as float32, and writes the
// (256, 256) sigmoid mask as round(v * 65535) little-endian uint16 to src/test/resources/tfjs/selfie_reference.u16.gz.
//
// Run from the repository root with @tensorflow/tfjs installed outside the repository:
//   NODE_PATH=/tmp/tfjs-ref/node_modules node weights/reference/selfie_reference.js
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const tf = require('@tensorflow/tfjs');

const MODEL_DIR = 'weights/selfie';
const RES = 'src/test/resources/tfjs';

async function main() {
  await tf.setBackend('cpu');
  const json = JSON.parse(fs.readFileSync(path.join(MODEL_DIR, 'selfie.json'), 'utf8'));
  const specs = [];
  const parts = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) parts.push(fs.readFileSync(path.join(MODEL_DIR, p)));
  }
  const all = Buffer.concat(parts);
  const model = await tf.loadGraphModel(tf.io.fromMemory({
    modelTopology: json.modelTopology, weightSpecs: specs,
    weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
  }));
  const bytes = zlib.gunzipSync(fs.readFileSync(path.join(RES, 'selfie_input.u8.gz')));
  if (bytes.length !== 256 * 256 * 3) throw new Error('selfie_input holds ' + bytes.length + ' bytes');
  const input = tf.tensor4d(Float32Array.from(bytes, (q) => q / 255), [1, 256, 256, 3], 'float32');
  const mask = await model.execute(input, 'activation_10').data();
  const out = Buffer.alloc(mask.length * 2);
  let fg = 0;
  for (let i = 0; i < mask.length; i++) {
    out.writeUInt16LE(Math.round(Math.min(1, Math.max(0, mask[i])) * 65535), 2 * i);
    if (mask[i] >= 0.5) fg++;
  }
  fs.writeFileSync(path.join(RES, 'selfie_reference.u16.gz'), zlib.gzipSync(out, { level: 9 }));
  console.log('@tensorflow/tfjs', tf.version.tfjs, tf.getBackend(), 'foreground pixels at 0.5:', fg);
}

main().catch((e) => { console.error(e); process.exit(1); });

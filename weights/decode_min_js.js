// Decodes the nsfwjs "min.js" model files into a plain tfjs graph model folder:
//   model.min.js            -> model.json (the exported object, weight paths given a .bin suffix)
//   group1-shardXofY.min.js -> group1-shardXofY.bin (the exported base64 string, decoded)
// Usage: node decode_min_js.js SOURCE_DIR OUTPUT_DIR
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

function evaluate(file) {
  const sandbox = { module: { exports: {} } };
  sandbox.exports = sandbox.module.exports;
  vm.runInNewContext(fs.readFileSync(file, 'utf8'), sandbox, { filename: file });
  return sandbox.module.exports;
}

const [src, out] = process.argv.slice(2);
if (!src || !out) {
  console.error('usage: node decode_min_js.js SOURCE_DIR OUTPUT_DIR');
  process.exit(2);
}
const model = evaluate(path.join(src, 'model.min.js'));
if (model.format !== 'graph-model' || !model.modelTopology || !model.weightsManifest) {
  throw new Error('model.min.js does not export a tfjs graph model');
}
for (const group of model.weightsManifest) {
  group.paths = group.paths.map((p) => {
    const b64 = evaluate(path.join(src, p + '.min.js'));
    if (typeof b64 !== 'string') throw new Error(p + '.min.js does not export a base64 string');
    const bytes = Buffer.from(b64, 'base64');
    fs.writeFileSync(path.join(out, p + '.bin'), bytes);
    console.log(p + '.bin', bytes.length, 'bytes');
    return p + '.bin';
  });
}
fs.writeFileSync(path.join(out, 'model.json'), JSON.stringify(model));

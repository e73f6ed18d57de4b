#!/usr/bin/env bash
# Starts `video --in synthetic:600 --baseline centre-prior --realtime --serve PORT` (600 frames at 24 frames/s, about
# 25 s), waits until the live view has answered frames, takes a screenshot of its page with headless Chromium
# (Debian's chromium package: apt-get install chromium), then stops the video command with SIGINT and checks that it
# exited cleanly.
#
#   scripts/screenshot-live-view.sh [OUT.png] [PORT]      (defaults: target/live-view.png, 8090)
#
# Needs the jar: mvn package -DskipTests. Environment: SALIENCY_JAR (default target/saliency.jar), CHROMIUM (default
# chromium), WINDOW (default 900,420), SETTLE (seconds of frames before the screenshot, default 4), JAVA_OPTS
# (default -Xmx1g). The video command's output goes to OUT.log.
set -euo pipefail

OUT=${1:-target/live-view.png}
PORT=${2:-8090}
JAR=${SALIENCY_JAR:-target/saliency.jar}
CHROMIUM=${CHROMIUM:-chromium}
WINDOW=${WINDOW:-900,420}
SETTLE=${SETTLE:-4}
JAVA_OPTS=${JAVA_OPTS:--Xmx1g}
LOG="${OUT%.png}.log"
URL="http://127.0.0.1:$PORT/"

if [[ ! -f "$JAR" ]]; then
  echo "screenshot-live-view: no $JAR (build it with: mvn package -DskipTests)" >&2
  exit 1
fi
if ! command -v "$CHROMIUM" >/dev/null; then
  echo "screenshot-live-view: no $CHROMIUM (Debian: apt-get install chromium)" >&2
  exit 1
fi
mkdir -p "$(dirname "$OUT")"
PROFILE=$(mktemp -d)

# job control on, so the background JVM does not start with SIGINT ignored (it would then ignore the stop below)
set -m
# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$JAR" video --in synthetic:600 --baseline centre-prior --realtime --serve "$PORT" \
  --progress-seconds 0 >"$LOG" 2>&1 &
PID=$!
set +m

cleanup() {
  if kill -0 "$PID" 2>/dev/null; then
    kill -INT "$PID" 2>/dev/null || true
  fi
  rm -rf "$PROFILE"
}
trap cleanup EXIT

# the page is up once the figures answer; the overlay once a frame has been answered
for _ in $(seq 1 120); do
  if FIGURES=$(curl -sf "${URL}figures") && [[ "$FIGURES" != *'"answered":0,'* ]]; then
    break
  fi
  if ! kill -0 "$PID" 2>/dev/null; then
    echo "screenshot-live-view: the video command exited early:" >&2
    cat "$LOG" >&2
    exit 1
  fi
  sleep 0.5
done
sleep "$SETTLE"

# --timeout ends the page load (an MJPEG image never finishes loading) and takes the screenshot
"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$PROFILE" \
  --window-size="$WINDOW" --timeout=3000 --screenshot="$OUT" "$URL" >/dev/null 2>&1
echo "screenshot-live-view: figures after the screenshot: $(curl -sf "${URL}figures" || echo '(none)')"

kill -INT "$PID"
STATUS=0
wait "$PID" || STATUS=$?
cat "$LOG"
if [[ ! -s "$OUT" ]]; then
  echo "screenshot-live-view: no screenshot written to $OUT" >&2
  exit 1
fi
# a JVM that ran its shutdown hooks on SIGINT exits with 130 (128 + 2)
if [[ $STATUS -ne 130 && $STATUS -ne 0 ]] || ! grep -q "stopped by a signal" "$LOG"; then
  echo "screenshot-live-view: the video command did not stop cleanly on SIGINT (exit status $STATUS)" >&2
  exit 1
fi
echo "screenshot-live-view: $OUT"

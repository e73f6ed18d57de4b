#!/usr/bin/env bash
# Starts a 3-node saliency cluster on loopback: two nodes with roles learner,policy and one with role policy, on
# distinct ports, each logging to LOG_DIR/node-PORT.log. Runs in the foreground; Ctrl-C (or SIGTERM) makes every node
# leave the cluster gracefully and waits for them to exit. The nodes stay up between runs: drive a run over them with
#   java -jar target/saliency.jar train --cluster --seeds 127.0.0.1:BASE_PORT,127.0.0.1:BASE_PORT+1 --nodes 3 ...
#
#   scripts/local-cluster.sh [BASE_PORT] [LOG_DIR]      (defaults: 25520, runs/local-cluster)
#
# Needs the jar: mvn package -DskipTests. Environment: SALIENCY_JAR (default target/saliency.jar), JAVA_OPTS (default
# -Xmx1g).
set -euo pipefail

BASE=${1:-25520}
DIR=${2:-runs/local-cluster}
JAR=${SALIENCY_JAR:-target/saliency.jar}
JAVA_OPTS=${JAVA_OPTS:--Xmx1g}

if [[ ! -f "$JAR" ]]; then
  echo "local-cluster: no $JAR (build it with: mvn package -DskipTests)" >&2
  exit 1
fi
mkdir -p "$DIR"
SEEDS="127.0.0.1:$BASE,127.0.0.1:$((BASE + 1))"
ROLES=(learner,policy learner,policy policy)
PIDS=()

stop() {
  trap - INT TERM
  echo "local-cluster: stopping nodes ${PIDS[*]}"
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" || true
  done
  echo "local-cluster: stopped; logs in $DIR"
}
trap stop INT TERM

for i in 0 1 2; do
  port=$((BASE + i))
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar "$JAR" node --port "$port" --seeds "$SEEDS" --roles "${ROLES[$i]}" \
    >"$DIR/node-$port.log" 2>&1 &
  PIDS+=($!)
  echo "local-cluster: node 127.0.0.1:$port roles ${ROLES[$i]} pid $! log $DIR/node-$port.log"
done
echo "local-cluster: Ctrl-C to stop; grep 'node up' $DIR/node-*.log to see the nodes join"
wait

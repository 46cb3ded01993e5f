#!/usr/bin/env bash
# KSeF under load: documents KSeF submissions against the KSeF simulator (delayMillis per invoice, KSeF verifies
# asynchronously): drain time, hub threads while runs are Pending (vs the idle hub, same run), KSeF ready -> Completed.
# hold=true (issue 12 goal 4): the simulator holds every invoice in status 150 until all documents are Pending, measures
# hub heap, threads, status requests per 10 s and hub CPU per status check for holdSeconds, then releases them: drain time.
# Usage: bench/ksef.sh [documents=1000] [clients=8] [delayMillis=2000] [hubConcurrency=2] [pollInterval=2s]
#                      [hold=false] [holdSeconds=60]
# Env:   HUB_XMX (default 512m), KEEP_DATA=1 keeps the temp data dir and the hub log
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

declare -A ARGS=([documents]=1000 [clients]=8 [delayMillis]=2000 [hubConcurrency]=2 [pollInterval]=2s [hold]=false
                 [holdSeconds]=60)
for a in "$@"; do
  key=${a%%=*}
  [[ -v ARGS[$key] ]] || { echo "[bench] unknown argument '$key' (known: ${!ARGS[*]})"; exit 2; }
  ARGS[$key]=${a#*=}
done
(( ${ARGS[documents]} <= 10000 )) || { echo "[bench] at most 10000 documents"; exit 2; }

command -v java >/dev/null || { echo "[bench] java is not installed"; exit 1; }
command -v curl >/dev/null || { echo "[bench] curl is not installed"; exit 1; }
# build: the first call may need the network for plugins a fresh machine lacks, so it is not offline
# (also when a source is newer than its class: a stale build would measure other code than the checkout's)
if [[ ! -f target/test-classes/io/einvoicinghub/bench/PendingAtScale.class || ! -d target/classes/io \
      || -n $(find src/main/java src/test/java/io/einvoicinghub/bench -newer target/test-classes/io/einvoicinghub/bench/PendingAtScale.class -name '*.java' 2>/dev/null | head -1) ]]; then
  echo "[bench] building (mvnw -q test-compile): classes missing or older than the sources"
  ./mvnw -q -B test-compile || { echo "[bench] the build failed: see the output above"; exit 1; }
fi
CP_FILE=target/bench-classpath.txt
if [[ ! -s $CP_FILE || pom.xml -nt $CP_FILE ]]; then
  ./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=$CP_FILE -Dmdep.includeScope=test >/dev/null \
    || { echo "[bench] could not write the classpath"; exit 1; }
fi
CP="target/classes:target/test-classes:$(cat $CP_FILE)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port); SIM_PORT=$(free_port)
DATA=$(mktemp -d /tmp/einvoicing-ksef-bench.XXXXXX)
LOG=$DATA/hub.log
HUB_PID=
cleanup() {
  [[ -n $HUB_PID ]] && kill "$HUB_PID" 2>/dev/null && wait "$HUB_PID" 2>/dev/null || true
  [[ ${KEEP_DATA:-0} == 1 ]] && echo "[bench] data kept in $DATA" || rm -rf "$DATA"
}
trap cleanup EXIT

TOKEN="bench-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
mkdir -p "$DATA/data/secrets"
echo "ksef-token-PL01=$TOKEN" > "$DATA/data/secrets/secrets.properties"
echo "[bench] hub on 127.0.0.1:$PORT, KSeF simulator on 127.0.0.1:$SIM_PORT, data $DATA"
java -Xmx"${HUB_XMX:-512m}" ${HUB_GC--XX:+UseParallelGC} -cp "$CP" io.einvoicinghub.HubApplication \
  --hub.data-dir="$DATA/data" --server.port="$PORT" --hub.node-id=bench \
  --hub.processing.concurrency="${ARGS[hubConcurrency]}" \
  --hub.ksef.environment="http://127.0.0.1:$SIM_PORT/v2" --hub.ksef.poll-interval="${ARGS[pollInterval]}" \
  --hub.validation.warm-up-enabled=false --logging.level.root=WARN \
  >"$LOG" 2>&1 &
HUB_PID=$!
for i in $(seq 1 180); do
  kill -0 $HUB_PID 2>/dev/null || { echo "[bench] hub died:"; tail -50 "$LOG"; exit 1; }
  curl -fs "http://127.0.0.1:$PORT/api/v1/submissions?limit=1" >/dev/null && break
  [[ $i == 180 ]] && { echo "[bench] hub not up after 180 s:"; tail -50 "$LOG"; exit 1; }
  sleep 1
done
java -Xmx1g -Dlogback.configurationFile="$ROOT/bench/logback.xml" -cp "$CP" io.einvoicinghub.bench.KsefBenchmark \
  baseUrl="http://127.0.0.1:$PORT" documents="${ARGS[documents]}" clients="${ARGS[clients]}" \
  delayMillis="${ARGS[delayMillis]}" simulatorPort="$SIM_PORT" token="$TOKEN" samples="$ROOT/samples/ksef" \
  hold="${ARGS[hold]}" holdSeconds="${ARGS[holdSeconds]}" hubPid="$HUB_PID"

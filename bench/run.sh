#!/usr/bin/env bash
# Benchmark of einvoicing-hub: end-to-end throughput/latency, bare-validation floor, the 10,000-line invoice.
# Usage: bench/run.sh [documents=1000] [clients=8] [hubConcurrency=2] [largeLines=10000] [warmup=400] [pollMillis=250]
#                     [samples=samples/valid]   (a folder of unified-JSON submissions, e.g. converted real invoices)
#                     [largeLines=1000,10000,50000,100000]   (several large invoices: per-line time and slope)
#                     [rate=20 rateSeconds=60]   (open loop: a fixed submission rate, latency p50/p95/p99)
#                     [rateSteps=auto|none|30,40,50 stepSeconds=20]   (then higher rates until the backlog grows)
# Env:   HUB_CPUS=0 pins the hub to core 0 with taskset (the client to the others)
# Env:   HUB_XMX (default 512m), KEEP_DATA=1 keeps the temp data dir, PORT (default: a free port),
#        HUB_JAVA_OPTS extra JVM options for the hub (e.g. -XX:StartFlightRecording=...),
#        HUB_ARGS extra hub arguments (e.g. HUB_ARGS=--hub.routes-dir=/tmp/routes-variant to try a route change)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

declare -A ARGS=([documents]=1000 [clients]=8 [hubConcurrency]=2 [largeLines]=10000 [warmup]=400 [pollMillis]=250
                 [samples]=samples/valid [rate]=0 [rateSeconds]=60
                 [rateSteps]=auto [stepSeconds]=20)
for a in "$@"; do
  key=${a%%=*}
  [[ $a == *=* && -v ARGS[$key] ]] || { echo "[bench] unknown argument '$a' (known: ${!ARGS[*]}, as name=value)"; exit 2; }
  ARGS[$key]=${a#*=}
done
SAMPLES=$(cd "${ARGS[samples]}" 2>/dev/null && pwd) || { echo "[bench] samples folder '${ARGS[samples]}' does not exist"; exit 2; }
ls "$SAMPLES"/*.json >/dev/null 2>&1 || { echo "[bench] no *.json submissions in $SAMPLES"; exit 2; }

command -v java >/dev/null || { echo "[bench] java is not installed"; exit 1; }
command -v curl >/dev/null || { echo "[bench] curl is not installed"; exit 1; }
command -v python3 >/dev/null || { echo "[bench] python3 is not installed (used to find free ports)"; exit 1; }
# build: the classes and test classes (the benchmark client lives in src/test/java). Not offline: on a fresh
# machine the first build and the dependency plugin must be downloaded; their output stays visible.
if [[ ! -f target/test-classes/io/einvoicinghub/bench/Benchmark.class || ! -d target/classes/io ]]; then
  echo "[bench] building (mvnw -q test-compile)"
  ./mvnw -q -B test-compile || { echo "[bench] the build failed: see the output above"; exit 1; }
fi
CP_FILE=target/bench-classpath.txt
if [[ ! -s $CP_FILE || pom.xml -nt $CP_FILE ]]; then
  echo "[bench] writing the classpath (mvnw dependency:build-classpath)"
  ./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=$CP_FILE -Dmdep.includeScope=test \
    || { echo "[bench] could not write the classpath: see the output above"; exit 1; }
fi
CP="target/classes:target/test-classes:$(cat $CP_FILE)"

PORT=${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
DATA=$(mktemp -d /tmp/einvoicing-bench.XXXXXX)
LOG=$DATA/hub.log
HUB_PID=
cleanup() {
  [[ -n $HUB_PID ]] && kill "$HUB_PID" 2>/dev/null && wait "$HUB_PID" 2>/dev/null || true
  [[ ${KEEP_DATA:-0} == 1 ]] && echo "[bench] data kept in $DATA" || rm -rf "$DATA"
}
trap cleanup EXIT

# -Xmx512m for the whole run: the large invoice must fit in 512 MB of heap.
# The large invoice JSON is ~1.7 MiB for 10,000 lines (under the 10 MiB default); the limit is raised to 64 MiB for larger ones.
echo "[bench] starting hub on 127.0.0.1:$PORT, data $DATA, -Xmx${HUB_XMX:-512m}"
HUB_FLAGS="-Xmx${HUB_XMX:-512m} ${HUB_JAVA_OPTS:-}"
# HUB_CPUS=0 pins the hub to core 0 (taskset) and the client to the other cores, where taskset exists
PIN_HUB=; PIN_CLIENT=
if [[ -n ${HUB_CPUS:-} ]] && command -v taskset >/dev/null; then
  PIN_HUB="taskset -c $HUB_CPUS"
  OTHER=$(python3 -c "import os; hub={int(c) for c in '$HUB_CPUS'.replace('-', ',').split(',')}; print(','.join(str(c) for c in sorted(os.sched_getaffinity(0)) if c not in hub))")
  [[ -n $OTHER ]] && PIN_CLIENT="taskset -c $OTHER"
  echo "[bench] hub pinned to cores $HUB_CPUS, client to ${OTHER:-the same cores}"
fi
$PIN_HUB java -Xmx"${HUB_XMX:-512m}" ${HUB_JAVA_OPTS:-} -cp "$CP" io.einvoicinghub.HubApplication \
  --hub.data-dir="$DATA/data" --server.port="$PORT" --hub.node-id=bench \
  --hub.processing.concurrency="${ARGS[hubConcurrency]}" \
  --hub.validation.warm-up-enabled=true \
  --hub.api.max-request-bytes=67108864 --server.tomcat.max-swallow-size=-1 ${HUB_ARGS:-} \
  >"$LOG" 2>&1 &
HUB_PID=$!

# ready = the API answers and the rule-set warm-up is over: its "Rule-set warm-up done" line (or, for older hubs, one "Rule set ... ready" line per installed
# feature (a feature names one or two rule sets) and no new such line for 3 s)
FEATURES=$(ls -d routes/features/*/ | wc -l)
LAST=-1; SAME=0; READY_OK=0
for i in $(seq 1 ${HUB_START_SECONDS:-600}); do
  kill -0 $HUB_PID 2>/dev/null || { echo "[bench] hub died:"; tail -50 "$LOG"; exit 1; }
  READY=$(grep -cE "Rule set .* ready|Warm-up of rule set" "$LOG" || true)
  if [[ $READY -eq $LAST ]]; then SAME=$((SAME + 1)); else SAME=0; LAST=$READY; fi
  WARM=$(grep -c "Rule-set warm-up done" "$LOG" || true)
  if [[ ( $WARM -ge 1 || ( $READY -ge $FEATURES && $SAME -ge 3 ) ) ]] && curl -fs "http://127.0.0.1:$PORT/api/v1/submissions?limit=1" >/dev/null; then
    READY_OK=1
    break
  fi
  sleep 1
done
grep -E "Started HubApplication|Rule set .* ready|Warm-up of rule set|Rule-set warm-up done" "$LOG" | sed 's/^.*  : /[hub] /' || true
if [[ $READY_OK != 1 ]]; then
  echo "[bench] the hub was not ready (API and rule-set warm-up) within ${HUB_START_SECONDS:-600} s; set HUB_START_SECONDS to wait longer. Last log lines:"
  tail -20 "$LOG"
  exit 1
fi

CPU0=$(ps -o times= -p $HUB_PID | tr -d ' ')
$PIN_CLIENT java -Xmx1g -Dlogback.configurationFile="$ROOT/bench/logback.xml" -Dbench.hubFlags="$HUB_FLAGS (cores: $(nproc))" \
  -cp "$CP" io.einvoicinghub.bench.Benchmark baseUrl="http://127.0.0.1:$PORT" hubPid="$HUB_PID" \
  documents="${ARGS[documents]}" clients="${ARGS[clients]}" hubConcurrency="${ARGS[hubConcurrency]}" \
  largeLines="${ARGS[largeLines]}" warmup="${ARGS[warmup]}" pollMillis="${ARGS[pollMillis]}" samples="$SAMPLES" \
  rate="${ARGS[rate]}" rateSeconds="${ARGS[rateSeconds]}" rateSteps="${ARGS[rateSteps]}" stepSeconds="${ARGS[stepSeconds]}"

CPU1=$(ps -o times= -p $HUB_PID | tr -d ' ')
echo "hub CPU time during the benchmark: $((CPU1 - CPU0)) s (warm-up pass, end-to-end run, artifact downloads, large invoice)"
if grep -qE "OutOfMemoryError" "$LOG"; then echo "[bench] WARNING: the hub logged an OutOfMemoryError"; fi

#!/usr/bin/env bash
# Benchmark of einvoicing-hub: end-to-end throughput/latency, bare-validation floor, the 10,000-line invoice.
# Usage: bench/run.sh [documents=1000] [clients=8] [hubConcurrency=2] [largeLines=10000] [warmup=400] [pollMillis=250]
#                     [samples=samples/valid]   (a folder of unified-JSON submissions, e.g. converted real invoices)
#                     [largeLines=1000,10000,50000,100000]   (several large invoices: per-line time and slope)
#                     [rate=20 rateSeconds=60]   (open loop: a fixed submission rate, latency p50/p95/p99)
#                     [rateSteps=auto|none|30,40,50 stepSeconds=20]   (then higher rates until the backlog grows)
#                     [stack=embedded|production|both]   (production: a fresh PostgreSQL database and an external
#                      Artemis broker, profiles postgres,external-broker; both: one after the other, side by side)
# Env:   HUB_CPUS=0 pins the hub to core 0 with taskset (the client to the others)
# Env:   BENCH_PG_HOST/BENCH_PG_PORT/BENCH_PG_USER/BENCH_PG_PASSWORD (default 127.0.0.1:5432, postgres, none) for stack=production
# Env:   HUB_GC (default -XX:+UseParallelGC, as ./run.sh; HUB_GC= for the JVM's default G1),
#        HUB_XMX (default 512m), KEEP_DATA=1 keeps the temp data dir, PORT (default: a free port),
#        HUB_JAVA_OPTS extra JVM options for the hub (e.g. -XX:StartFlightRecording=...),
#        HUB_ARGS extra hub arguments (e.g. HUB_ARGS=--hub.routes-dir=/tmp/routes-variant to try a route change)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

declare -A ARGS=([documents]=1000 [clients]=8 [hubConcurrency]=2 [largeLines]=10000 [warmup]=400 [pollMillis]=250
                 [samples]=samples/valid [rate]=0 [rateSeconds]=60
                 [rateSteps]=auto [stepSeconds]=20 [stack]=embedded)
for a in "$@"; do
  key=${a%%=*}
  [[ $a == *=* && -v ARGS[$key] ]] || { echo "[bench] unknown argument '$a' (known: ${!ARGS[*]}, as name=value)"; exit 2; }
  ARGS[$key]=${a#*=}
done
SAMPLES=$(cd "${ARGS[samples]}" 2>/dev/null && pwd) || { echo "[bench] samples folder '${ARGS[samples]}' does not exist"; exit 2; }
ls "$SAMPLES"/*.json >/dev/null 2>&1 || { echo "[bench] no *.json submissions in $SAMPLES"; exit 2; }

case ${ARGS[stack]} in embedded|production|both) ;; *) echo "[bench] stack must be embedded, production or both, not '${ARGS[stack]}'"; exit 2 ;; esac
WANT_PRODUCTION=0; [[ ${ARGS[stack]} != embedded ]] && WANT_PRODUCTION=1

command -v java >/dev/null || { echo "[bench] java is not installed"; exit 1; }
command -v curl >/dev/null || { echo "[bench] curl is not installed"; exit 1; }
command -v python3 >/dev/null || { echo "[bench] python3 is not installed (used to find free ports)"; exit 1; }
# build: the classes and test classes (the benchmark client lives in src/test/java). Not offline: on a fresh
# machine the first build and the dependency plugin must be downloaded; their output stays visible.
# Rebuilt also when a source is newer than the compiled benchmark, so that a change is what gets measured.
BENCH_CLASS=target/test-classes/io/einvoicinghub/bench/Benchmark.class
if [[ ! -f $BENCH_CLASS || ! -d target/classes/io || -n $(find src pom.xml -newer "$BENCH_CLASS" -type f -print -quit) ]]; then
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

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PG_HOST=${BENCH_PG_HOST:-127.0.0.1}; PG_PORT=${BENCH_PG_PORT:-5432}; PG_USER=${BENCH_PG_USER:-postgres}
export PGPASSWORD=${BENCH_PG_PASSWORD:-}
if [[ $WANT_PRODUCTION == 1 ]]; then
  command -v psql >/dev/null || { echo "[bench] stack=${ARGS[stack]} needs psql (PostgreSQL's client) to create the benchmark's database"; exit 1; }
  psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc 'select 1' >/dev/null 2>&1 \
    || { echo "[bench] stack=${ARGS[stack]} needs PostgreSQL on $PG_HOST:$PG_PORT (user $PG_USER; set BENCH_PG_HOST/PORT/USER/PASSWORD): it did not answer"; exit 1; }
fi

DATA=$(mktemp -d /tmp/einvoicing-bench.XXXXXX)
HUB_PID=; BROKER_PID=; BENCH_DB=
stop_hub() {
  [[ -n $HUB_PID ]] && kill "$HUB_PID" 2>/dev/null && wait "$HUB_PID" 2>/dev/null || true
  HUB_PID=
}
cleanup() {
  stop_hub
  [[ -n $BROKER_PID ]] && kill "$BROKER_PID" 2>/dev/null && wait "$BROKER_PID" 2>/dev/null || true
  [[ -n $BENCH_DB ]] && psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "DROP DATABASE IF EXISTS $BENCH_DB" >/dev/null 2>&1 || true
  [[ ${KEEP_DATA:-0} == 1 ]] && echo "[bench] data kept in $DATA" || rm -rf "$DATA"
}
trap cleanup EXIT

# HUB_CPUS=0 pins the hub to core 0 (taskset) and the client to the other cores, where taskset exists
PIN_HUB=; PIN_CLIENT=
if [[ -n ${HUB_CPUS:-} ]] && command -v taskset >/dev/null; then
  PIN_HUB="taskset -c $HUB_CPUS"
  OTHER=$(python3 -c "import os; hub={int(c) for c in '$HUB_CPUS'.replace('-', ',').split(',')}; print(','.join(str(c) for c in sorted(os.sched_getaffinity(0)) if c not in hub))")
  [[ -n $OTHER ]] && PIN_CLIENT="taskset -c $OTHER"
  echo "[bench] hub pinned to cores $HUB_CPUS, client to ${OTHER:-the same cores}"
fi
# the collector of the run command (./run.sh, decision 0028); HUB_GC= (empty) for the JVM's default, G1
HUB_GC=${HUB_GC--XX:+UseParallelGC}
HUB_FLAGS="-Xmx${HUB_XMX:-512m} ${HUB_GC} ${HUB_JAVA_OPTS:-}"

# A fresh PostgreSQL database of the run's own (Flyway builds the schema at the hub's start), dropped at the end.
create_database() {
  BENCH_DB=einvoicing_bench_$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
  psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "CREATE DATABASE $BENCH_DB" \
    || { echo "[bench] could not create database $BENCH_DB on $PG_HOST:$PG_PORT"; BENCH_DB=; exit 1; }
  echo "[bench] PostgreSQL database $BENCH_DB on $PG_HOST:$PG_PORT ($(psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc 'show server_version'))"
}

# An Artemis broker of the same version as the embedded one (the artemis-jakarta-server jar on the classpath),
# from the official distribution (fetched once into target/artemis), as its own process with a login.
start_artemis() {
  local version home port password
  version=$(grep -o 'artemis-jakarta-server/[^/]*/' "$CP_FILE" | head -1 | cut -d/ -f2)
  [[ -n $version ]] || { echo "[bench] no artemis-jakarta-server on the classpath: cannot tell which Artemis to start"; exit 1; }
  home=$ROOT/target/artemis/apache-artemis-$version
  if [[ ! -x $home/bin/artemis ]]; then
    echo "[bench] fetching the Artemis $version distribution (mvnw dependency:unpack)"
    ./mvnw -q -B dependency:unpack -Dartifact="org.apache.activemq:apache-artemis:$version:zip:bin" \
      -DoutputDirectory="$ROOT/target/artemis" || { echo "[bench] could not fetch the Artemis $version distribution: see the output above"; exit 1; }
    [[ -x $home/bin/artemis ]] || chmod +x "$home/bin/artemis" 2>/dev/null || true
    [[ -f $home/bin/artemis ]] || { echo "[bench] the Artemis distribution has no bin/artemis under $home"; exit 1; }
  fi
  port=$(free_port)
  password=$(od -An -N12 -tx4 /dev/urandom | tr -d ' ')
  bash "$home/bin/artemis" create "$DATA/broker" --silent --force --no-web --require-login --user bench --password "$password" \
    --host 127.0.0.1 --default-port "$port" --nio --no-amqp-acceptor --no-hornetq-acceptor --no-mqtt-acceptor \
    --no-stomp-acceptor >"$DATA/broker-create.log" 2>&1 \
    || { echo "[bench] artemis create failed:"; tail -20 "$DATA/broker-create.log"; exit 1; }
  $PIN_HUB bash "$DATA/broker/bin/artemis" run >"$DATA/broker.log" 2>&1 &
  BROKER_PID=$!
  for i in $(seq 1 120); do
    grep -q AMQ221007 "$DATA/broker.log" && break
    kill -0 $BROKER_PID 2>/dev/null || { echo "[bench] the Artemis broker died:"; tail -20 "$DATA/broker.log"; exit 1; }
    [[ $i == 120 ]] && { echo "[bench] the Artemis broker was not live after 120 s:"; tail -20 "$DATA/broker.log"; exit 1; }
    sleep 1
  done
  echo "[bench] Artemis $version broker on tcp://127.0.0.1:$port (own process, login required)"
  export HUB_BROKER_URL="tcp://127.0.0.1:$port" HUB_BROKER_USER=bench HUB_BROKER_PASSWORD=$password
}

# CPU milliseconds of processes from /proc/<pid>/stat (user + system, plus their reaped children's: a PostgreSQL
# backend that exits leaves its time in the postmaster's); `cpu_ms postgres` sums every process named postgres
cpu_ms() {
  python3 - "$@" <<'PY'
import os, sys
tick = os.sysconf("SC_CLK_TCK")
def stat(pid):
    try:
        text = open(f"/proc/{pid}/stat").read()
    except OSError:
        return None, 0
    comm = text[text.index("(") + 1:text.rindex(")")]
    f = text[text.rindex(")") + 2:].split()
    return comm, sum(int(x) for x in f[11:15])
total = 0
for arg in sys.argv[1:]:
    pids = [arg] if arg.isdigit() else [p for p in os.listdir("/proc") if p.isdigit() and stat(p)[0] == arg]
    total += sum(stat(p)[1] for p in pids)
print(total * 1000 // tick)
PY
}

# run_stack <name> <description> [hub arguments...]: a hub on a fresh data dir and port, the benchmark client, the hub stopped
run_stack() {
  local name=$1 description=$2; shift 2
  local port=${PORT:-$(free_port)} log=$DATA/hub-$name.log
  echo "[bench] stack $name: $description"
  # -Xmx512m for the whole run: the large invoice must fit in 512 MB of heap.
  # The large invoice JSON is ~1.7 MiB for 10,000 lines (under the 10 MiB default); the limit is raised to 64 MiB for larger ones.
  echo "[bench] starting hub on 127.0.0.1:$port, data $DATA/data-$name, -Xmx${HUB_XMX:-512m}"
  $PIN_HUB java -Xmx"${HUB_XMX:-512m}" ${HUB_GC} ${HUB_JAVA_OPTS:-} -cp "$CP" io.einvoicinghub.HubApplication \
    --hub.data-dir="$DATA/data-$name" --server.port="$port" --hub.node-id=bench \
    --hub.processing.concurrency="${ARGS[hubConcurrency]}" \
    --hub.validation.warm-up-enabled=true \
    --hub.api.max-request-bytes=67108864 --server.tomcat.max-swallow-size=-1 "$@" ${HUB_ARGS:-} \
    >"$log" 2>&1 &
  HUB_PID=$!

  # ready = the API answers and the rule-set warm-up is over: its "Rule-set warm-up done" line (or, for older hubs, one
  # "Rule set ... ready" line per installed feature (a feature names one or two rule sets) and no new such line for 3 s)
  local features last=-1 same=0 ready_ok=0 ready warm
  features=$(ls -d routes/features/*/ | wc -l)
  for i in $(seq 1 ${HUB_START_SECONDS:-600}); do
    kill -0 $HUB_PID 2>/dev/null || { echo "[bench] hub died:"; tail -50 "$log"; exit 1; }
    ready=$(grep -cE "Rule set .* ready|Warm-up of rule set" "$log" || true)
    if [[ $ready -eq $last ]]; then same=$((same + 1)); else same=0; last=$ready; fi
    warm=$(grep -c "Rule-set warm-up done" "$log" || true)
    if [[ ( $warm -ge 1 || ( $ready -ge $features && $same -ge 3 ) ) ]] && curl -fs "http://127.0.0.1:$port/api/v1/submissions?limit=1" >/dev/null; then
      ready_ok=1
      break
    fi
    sleep 1
  done
  grep -E "Started HubApplication|Rule set .* ready|Warm-up of rule set|Rule-set warm-up done" "$log" | sed 's/^.*  : /[hub] /' || true
  if [[ $ready_ok != 1 ]]; then
    echo "[bench] the hub was not ready (API and rule-set warm-up) within ${HUB_START_SECONDS:-600} s; set HUB_START_SECONDS to wait longer. Last log lines:"
    tail -20 "$log"
    exit 1
  fi

  local cpu0 cpu1 broker0=0 broker1=0 pg0 pg1 cpu_line
  local services= # the external broker and the database server of the production stack, for their CPU per document
  [[ $name == production ]] && services="$BROKER_PID,postgres"
  cpu0=$(cpu_ms $HUB_PID); pg0=$(cpu_ms postgres)
  [[ -n $BROKER_PID ]] && broker0=$(cpu_ms $BROKER_PID)
  $PIN_CLIENT java -Xmx1g -Dlogback.configurationFile="$ROOT/bench/logback.xml" -Dbench.hubFlags="$HUB_FLAGS (cores: $(nproc))" \
    -Dbench.stack="$description" -Dbench.summaryFile="$DATA/summary-$name.tsv" \
    -cp "$CP" io.einvoicinghub.bench.Benchmark baseUrl="http://127.0.0.1:$port" hubPid="$HUB_PID" services="$services" \
    servicesLabel="the Artemis broker's process and PostgreSQL's processes" \
    documents="${ARGS[documents]}" clients="${ARGS[clients]}" hubConcurrency="${ARGS[hubConcurrency]}" \
    largeLines="${ARGS[largeLines]}" warmup="${ARGS[warmup]}" pollMillis="${ARGS[pollMillis]}" samples="$SAMPLES" \
    rate="${ARGS[rate]}" rateSeconds="${ARGS[rateSeconds]}" rateSteps="${ARGS[rateSteps]}" stepSeconds="${ARGS[stepSeconds]}"
  cpu1=$(cpu_ms $HUB_PID); pg1=$(cpu_ms postgres)
  [[ -n $BROKER_PID ]] && broker1=$(cpu_ms $BROKER_PID)
  cpu_line=$(printf 'hub %.1f s, PostgreSQL processes %.1f s' "$(( cpu1 - cpu0 ))e-3" "$(( pg1 - pg0 ))e-3")
  [[ -n $BROKER_PID ]] && cpu_line="$cpu_line$(printf ', Artemis broker %.1f s' "$(( broker1 - broker0 ))e-3")"
  echo "CPU time during the benchmark (warm-up pass, end-to-end run, artifact downloads, large invoice, open loop): $cpu_line"
  printf 'CPU during the whole benchmark\t%s\n' "$cpu_line" >>"$DATA/summary-$name.tsv"
  if grep -qE "OutOfMemoryError" "$log"; then echo "[bench] WARNING: the hub logged an OutOfMemoryError"; fi
  stop_hub
}

if [[ ${ARGS[stack]} != production ]]; then
  run_stack embedded "embedded (H2 file database, embedded Artemis)"
fi
if [[ $WANT_PRODUCTION == 1 ]]; then
  create_database
  start_artemis
  export HUB_DB_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$BENCH_DB" HUB_DB_USER=$PG_USER HUB_DB_PASSWORD=$PGPASSWORD
  run_stack production "production (PostgreSQL $PG_HOST:$PG_PORT database $BENCH_DB, external Artemis broker $HUB_BROKER_URL)" \
    --spring.profiles.active=postgres,external-broker
fi
if [[ ${ARGS[stack]} == both ]]; then
  python3 - "$DATA/summary-embedded.tsv" "$DATA/summary-production.tsv" <<'PY'
import sys
def read(path):
    rows = {}
    for line in open(path, encoding="utf-8"):
        key, _, value = line.rstrip("\n").partition("\t")
        rows[key] = value
    return rows
embedded, production = read(sys.argv[1]), read(sys.argv[2])
print()
print("==================== embedded | production, side by side ====================")
for key in list(dict.fromkeys(list(embedded) + list(production))):
    if key in ("machine",):
        continue
    print(f"{key}")
    print(f"    embedded    {embedded.get(key, '-')}")
    print(f"    production  {production.get(key, '-')}")
print("==============================================================================")
PY
fi

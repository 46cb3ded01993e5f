#!/usr/bin/env bash
# Signatures per second per kind (XAdES-B-B, CAdES-B-B, JAdES-B-B) with RSA-2048 and P-256 keys, through the hub's
# signing actions and as bare EU DSS calls, in one JVM and run (io.einvoicinghub.bench.SigningBenchmark).
# Usage: bench/signing.sh [seconds=5] [warmupSeconds=3]     Env: BENCH_JAVA_OPTS (default -Xmx512m)
set -euo pipefail
cd "$(dirname "$0")/.."
for a in "$@"; do
  [[ $a == seconds=* || $a == warmupSeconds=* ]] || { echo "[bench] unknown argument '$a' (known: seconds=, warmupSeconds=)"; exit 2; }
done
command -v java >/dev/null || { echo "[bench] java is not installed"; exit 1; }
# build: the first call may need the network for plugins a fresh machine lacks, so it is not offline
if [[ ! -f target/test-classes/io/einvoicinghub/bench/SigningBenchmark.class || ! -d target/classes/io ]]; then
  echo "[bench] building (mvnw -q test-compile)"
  ./mvnw -q -B test-compile || { echo "[bench] the build failed: see the output above"; exit 1; }
fi
CP_FILE=target/bench-classpath.txt
if [[ ! -s $CP_FILE || pom.xml -nt $CP_FILE ]]; then
  echo "[bench] writing the classpath (mvnw dependency:build-classpath)"
  ./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=$CP_FILE -Dmdep.includeScope=test >/dev/null \
    || { echo "[bench] could not write the classpath"; exit 1; }
fi
echo "[bench] $(nproc) cores (nproc), $(java -version 2>&1 | head -1)"
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:--Xmx512m} -Dlogback.configurationFile="$(pwd)/bench/logback.xml" \
  -cp "target/classes:target/test-classes:$(cat $CP_FILE)" io.einvoicinghub.bench.SigningBenchmark "$@"

#!/usr/bin/env bash
# Inbound benchmark: received documents per second through SFTP and through the HTTP upload, p50/p95 time from arrival
# to ready-for-ERP (receipt Converted), beside bare official validation of the same files in the same run.
# Usage: bench/inbound.sh [files=500] [clients=4] [warmup=200] [pollMillis=200]
# Env:   HUB_XMX (default 512m)
# The client (io.einvoicinghub.bench.InboundBenchmark, src/test/java) runs an SFTP server (Apache MINA SSHD) and starts
# the hub as its child process from the project root; both end with it.
set -euo pipefail
cd "$(dirname "$0")/.."

for a in "$@"; do
  [[ $a =~ ^(files|clients|warmup|pollMillis)=[0-9]+$ ]] || { echo "[bench] unknown argument '$a' (known: files clients warmup pollMillis, as name=number)"; exit 2; }
done
command -v java >/dev/null || { echo "[bench] java is not installed"; exit 1; }
# build: the first call may need the network for plugins a fresh machine lacks, so it is not offline
if [[ ! -f target/test-classes/io/einvoicinghub/bench/InboundBenchmark.class || ! -d target/classes/io ]]; then
  echo "[bench] building (mvnw -q test-compile)"
  ./mvnw -q -B test-compile || { echo "[bench] the build failed: see the output above"; exit 1; }
fi
CP_FILE=target/bench-classpath.txt
if [[ ! -s $CP_FILE || pom.xml -nt $CP_FILE ]]; then
  ./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=$CP_FILE -Dmdep.includeScope=test >/dev/null \
    || { echo "[bench] could not write the classpath"; exit 1; }
fi
CP="target/classes:target/test-classes:$(cat $CP_FILE)"
exec java -Xmx512m -Dlogback.configurationFile=bench/logback.xml -cp "$CP" io.einvoicinghub.bench.InboundBenchmark "$@"

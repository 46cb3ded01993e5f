#!/usr/bin/env bash
# Starts the hub on its embedded defaults (local-folder storage in ./data, H2 file database, embedded
# Artemis broker, local secrets), submits the bundled sample invoice, prints its log, and keeps running.
# Extra arguments go to the hub, e.g. ./run.sh --server.port=9090
set -euo pipefail
cd "$(dirname "$0")"

JAR=target/einvoicing-hub.jar
if [ ! -f "$JAR" ] || [ -n "$(find src pom.xml docs/openapi.yaml -newer "$JAR" -print -quit)" ]; then
  echo "Building the hub…"
  ./mvnw -q -B package -DskipTests
fi

PORT=8080
for arg in "$@"; do case "$arg" in --server.port=*) PORT="${arg#--server.port=}";; esac; done
BASE="http://127.0.0.1:$PORT"

# the throughput collector unless JAVA_OPTS says otherwise: on 2-4 cores it leaves the CPU to the rules (decision 0028)
java ${JAVA_OPTS:--XX:+UseParallelGC} -jar "$JAR" "$@" &
HUB=$!
trap 'kill $HUB 2>/dev/null; wait $HUB 2>/dev/null' INT TERM

echo "Waiting for the hub on $BASE …"
for _ in $(seq 1 120); do
  curl -fs "$BASE/actuator/health" >/dev/null 2>&1 && break
  kill -0 $HUB 2>/dev/null || { echo "The hub stopped; see its log above"; exit 1; }
  sleep 1
done

echo "The hub is up. Web console: $BASE/"
SAMPLE=samples/valid/01-standard-rate-sepa-transfer.json
echo "Submitting $SAMPLE"
ID=$(curl -fs -H 'Content-Type: application/json' --data-binary @"$SAMPLE" "$BASE/api/v1/submissions" \
  | sed -n 's/^  "id" : "\(.*\)",$/\1/p')
for _ in $(seq 1 120); do
  STATUS=$(curl -fs "$BASE/api/v1/submissions/$ID" | sed -n 's/^  "status" : "\(.*\)",$/\1/p')
  case "$STATUS" in Completed|Failed|Canceled) break;; esac
  sleep 1
done
echo
echo "Submission $ID: $STATUS"
curl -fs "$BASE/api/v1/submissions/$ID" | grep -E '"(name|href|status)"' | sed 's/^ *//'
echo
echo "Full log:  curl $BASE/api/v1/submissions/$ID"
echo "API spec:  $BASE/api/v1/openapi.yaml"
echo "Console:   $BASE/      (submissions, dashboard, features, try a document, API explorer)      Stop: Ctrl+C"
wait $HUB

#!/usr/bin/env bash
# Transform every samples/valid/*.json with unified-to-cii.xsl and validate against EN 16931 CII and XRechnung CII.
# Usage (from the repository root, after test-compile + dependency:build-classpath into target/cp.txt):
#   transformations/cii/check-all.sh [OUTDIR]
set -u
OUT=${1:-/tmp/cii-check}
mkdir -p "$OUT"
CP=target/classes:target/test-classes:$(cat target/cp.txt)
XSL=transformations/cii/unified-to-cii.xsl
XR_GUIDELINE='urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0'
for s in samples/valid/*.json; do
  n=$(basename "$s" .json)
  for rs in eu.cen.en16931:cii:1.3.16 de.xrechnung:cii:3.0.2; do
    if [[ $rs == de.xrechnung* ]]; then p="guidelineId=$XR_GUIDELINE"; tag=xr; else p=""; tag=en; fi
    log="$OUT/$n.$tag.log"
    java -cp "$CP" io.einvoicinghub.tools.FeatureTry "$XSL" "$s" "$rs" $p --out "$OUT/$n.$tag.xml" > "$log" 2>&1
    status=$(grep -E '^(VALID|INVALID)' "$log" | head -1 | cut -d' ' -f1)
    errs=$(grep -E '^(ERROR|FATAL)' "$log" | awk '{print $2}' | sort -u | tr '\n' ' ')
    warns=$(grep -E '^WARN' "$log" | awk '{print $2}' | sort -u | tr '\n' ' ')
    printf '%-45s %-26s %-8s errors=[%s] warnings=[%s]\n' "$n" "$rs" "${status:-FAILED}" "$errs" "$warns"
  done
done

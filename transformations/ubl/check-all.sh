#!/usr/bin/env bash
# Transform every samples/valid/*.json (or the files given) with unified-to-ubl.xsl and validate the
# result against Peppol BIS 3 and XRechnung 3.0 (UBL), Invoice or CreditNote per context.documentType.
# Usage: transformations/ubl/check-all.sh [SAMPLE.json ...]   (run from anywhere; uses offline Maven)
set -euo pipefail
cd "$(dirname "$0")/../.."
XSL=transformations/ubl/unified-to-ubl.xsl
XR_CUSTOMIZATION='urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0'
OUT=${OUT:-target/ubl-check}
mkdir -p "$OUT"
if [[ ! -f target/cp.txt || ! -d target/test-classes ]]; then
  ./mvnw -q -B -o test-compile
  ./mvnw -q -B -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
fi
CP=target/classes:target/test-classes:$(cat target/cp.txt)
samples=("$@"); [[ ${#samples[@]} -gt 0 ]] || samples=(samples/valid/*.json)
failed=0
for s in "${samples[@]}"; do
  name=$(basename "$s" .json)
  if grep -q '"documentType"[[:space:]]*:[[:space:]]*"CreditNote"' "$s"; then kind=creditnote; else kind=invoice; fi
  for set in peppol xr; do
    if [[ $set == peppol ]]; then
      args=("eu.peppol.bis3:$kind:2026.5")
    else
      args=("de.xrechnung:ubl-$kind:3.0.2" "customizationId=$XR_CUSTOMIZATION")
    fi
    log="$OUT/$name-$set.log"
    java -cp "$CP" io.einvoicinghub.tools.FeatureTry "$XSL" "$s" "${args[@]}" --out "$OUT/$name-$set.xml" >"$log" 2>&1 || true
    verdict=$(grep -Eo '^(VALID|INVALID)' "$log" | tail -1 || true)
    rules=$(grep -E '^(ERROR|FATAL) ' "$log" | awk '{print $2}' | sort -u | tr '\n' ' ' || true)
    warns=$(grep -E '^WARN' "$log" | awk '{print $2}' | sort -u | tr '\n' ' ' || true)
    printf '%-45s %-8s %-8s %s%s\n' "$name" "$set" "${verdict:-CRASH}" "$rules" "${warns:+ warnings: $warns}"
    [[ $verdict == VALID ]] || failed=1
  done
done
exit $failed

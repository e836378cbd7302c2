#!/usr/bin/env bash
# Fuzzes every Jazzer target for a set time, one after the other, and prints a summary table.
#
#   fuzz/run-fuzz.sh [seconds-per-target]     (default 600)
#
# Each target runs in Jazzer's standalone driver (coverage-guided libFuzzer mode) with:
#   - its checked-in corpus src/test/resources/dev/meridian/fuzz/<Target>Inputs/<method>/ as seeds
#     (read-only) and target/corpus/<Target>/ as the growing working corpus (not checked in);
#   - crashes written straight into the checked-in inputs directory as crash-<sha1>, so a finding
#     replays on every `mvn verify` until fixed (Jazzer regression mode).
# Logs: fuzz/target/fuzz-logs/<Target>.log. Exit status 1 when any target found a crash.
set -uo pipefail

SECONDS_PER_TARGET="${1:-600}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
RES="src/test/resources/dev/meridian/fuzz"

# target class | @FuzzTest method | classes to instrument (':'-separated globs)
TARGETS=(
  "RequestHeadFuzzTest|decodesAnyBytesWithoutLeaksAndReencodesAcceptedHeads|dev.meridian.engine.**"
  "ChunkedBodyFuzzTest|deliversExactlyTheChunkDataOrRejects|dev.meridian.engine.**"
  "ResponseHeadFuzzTest|answersAnyOriginBytesWith502OrWellFramedResponses|dev.meridian.engine.**"
  "PathNormalizerFuzzTest|normalizedPathsAreStableAndFreeOfDotSegments|dev.meridian.engine.**"
  "ConfigLoaderFuzzTest|throwsOnlyConfigValidationException|dev.meridian.engine.**:com.fasterxml.jackson.**:org.yaml.snakeyaml.**"
  "HeaderFieldFuzzTest|acceptsExactlyTheRfcFieldLineSyntax|dev.meridian.engine.**"
  "DifferentialFuzzTest|decoderAgreesWithReferenceReadingOfRfc9112|dev.meridian.engine.**"
)
if [[ -n "${FUZZ_ONLY:-}" ]]; then # e.g. FUZZ_ONLY="PathNormalizerFuzzTest RequestHeadFuzzTest"
  filtered=()
  for t in "${TARGETS[@]}"; do [[ " ${FUZZ_ONLY//,/ } " == *" ${t%%|*} "* ]] && filtered+=("$t"); done
  TARGETS=("${filtered[@]}")
fi

# FUZZ_SKIP_BUILD=1 reuses the last build, so that two runs (one per core) can go side by side.
if [[ -z "${FUZZ_SKIP_BUILD:-}" ]]; then
  echo "Building fuzz targets and their classpath..."
  (cd "$ROOT" && mvn -B -q -pl fuzz -am test-compile dependency:build-classpath \
      -Dmdep.outputFile=target/fuzz.classpath -Dmdep.includeScope=test) || exit 2
fi
cd "$HERE"
CP="target/test-classes:$(cat target/fuzz.classpath)"
mkdir -p target/fuzz-logs

summary=()
failed=0
for t in "${TARGETS[@]}"; do
  IFS='|' read -r cls method includes <<<"$t"
  seeds="$RES/${cls}Inputs/$method"
  work="target/corpus/$cls"
  log="target/fuzz-logs/$cls.log"
  mkdir -p "$work" "$seeds"
  echo "== $cls: ${SECONDS_PER_TARGET}s"
  java -Xmx1g -cp "$CP" com.code_intelligence.jazzer.Jazzer \
      --target_class="dev.meridian.fuzz.$cls" --target_method="$method" \
      --instrumentation_includes="$includes" \
      -max_total_time="$SECONDS_PER_TARGET" -max_len=4096 -timeout=10 -rss_limit_mb=2560 \
      -artifact_prefix="$seeds/" -print_final_stats=1 \
      "$work" "$seeds" >"$log" 2>&1
  rc=$?
  last="$(grep -E '^#[0-9]+' "$log" | tail -1)"
  runs="$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | tail -1 | grep -oE '[0-9]+$' || true)"
  secs="$(grep -oE 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 | grep -oE 'in [0-9]+' | grep -oE '[0-9]+' || true)"
  cov="$(grep -oE 'cov: [0-9]+' <<<"$last" | grep -oE '[0-9]+' || true)"
  ft="$(grep -oE 'ft: [0-9]+' <<<"$last" | grep -oE '[0-9]+' || true)"
  corp="$(grep -oE 'corp: [0-9]+' <<<"$last" | grep -oE '[0-9]+' || true)"
  eps="$(grep -oE 'exec/s: [0-9]+' <<<"$last" | grep -oE '[0-9]+' || true)"
  if [[ -n "$runs" && -n "$secs" && "$secs" -gt 0 ]]; then eps=$((runs / secs)); fi
  result="ok"
  if [[ $rc -ne 0 ]]; then
    result="CRASH (exit $rc, see $log; input saved under $seeds/)"
    failed=1
  fi
  summary+=("$(printf '%-24s %12s %9s %6s %7s %6s  %s' "$cls" "${runs:-?}" "${eps:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result")")
done

echo
printf '%-24s %12s %9s %6s %7s %6s  %s\n' target execs exec/s cov ft corpus result
printf '%s\n' "${summary[@]}"
echo "(cov = instrumented edges covered, ft = libFuzzer features; ${SECONDS_PER_TARGET}s per target)"
exit $failed

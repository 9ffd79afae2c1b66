#!/usr/bin/env bash
# `make fuzz`: keysmith-fuzz built for libFuzzer and run for FUZZ_RUNS executions (1,000,000) per target, seeded from
# Fuzz/corpus/<target>. New inputs go to .build-fuzz/corpus/<target>, crashes (a broken property traps) to
# Fuzz/artifacts/. Prints, per target: executions, crashes, new inputs, exec/s, coverage and corpus size.
#
#   Fuzz/run.sh [target...]           fuzz every target, or those named
#   Fuzz/run.sh --merge [target...]   add to Fuzz/corpus what the last run's new inputs cover (libFuzzer -merge=1)
#   FUZZ_RUNS=100000 Fuzz/run.sh json
#
# Replay a crash with the normal debug build: `swift build --product keysmith-fuzz &&
# .build/debug/keysmith-fuzz <target> Fuzz/artifacts/<file>`; `swift test` replays the committed corpus.
set -euo pipefail
cd "$(dirname "$0")/.."

SCRATCH=.build-fuzz
RUNS=${FUZZ_RUNS:-1000000}
TARGETS=(token cidr scopes headers expiry form json verify-body)

merge=false
if [ "${1:-}" = --merge ]; then
  merge=true
  shift
fi
if [ $# -gt 0 ]; then TARGETS=("$@"); fi

# Longest input per target: past each parser's own limit, so the refusals at the limit are reached as well.
max_len() {
  case $1 in
    token) echo 512 ;;                # custom secrets end at 256 characters
    cidr | scopes | headers) echo 4096 ;;  # 100 allowlist entries, 50 scopes, 1024-character values
    expiry) echo 128 ;;
    form | json) echo 8192 ;;          # metadata ends at 4096 bytes
    verify-body) echo 1024 ;;
    *) echo "unknown target $1 (known: ${TARGETS[*]})" >&2; exit 64 ;;
  esac
}

# libFuzzer ships with the toolchain's clang as libclang_rt.fuzzer_no_main: its driver without a `main`, so
# keysmith-fuzz keeps its own (it calls LLVMFuzzerRunDriver). `-sanitize=fuzzer` goes to the frontend only
# (`-Xfrontend`): given to the swiftc driver it would also link libclang_rt.fuzzer, whose `main` clashes with ours.
# `-enable-testing` because the harnesses `@testable import` the server; AddressSanitizer for the unsafe-pointer
# parsing that release builds do not bounds-check.
clang="$(dirname "$(realpath "$(command -v swiftc)")")/clang"
libfuzzer=$("$clang" -print-file-name="libclang_rt.fuzzer_no_main-$(uname -m).a")
if [ ! -f "$libfuzzer" ]; then
  echo "libclang_rt.fuzzer_no_main-$(uname -m).a not found by $clang (the Swift toolchain's clang)" >&2
  exit 1
fi
swift build -c release --scratch-path "$SCRATCH" --product keysmith-fuzz --sanitize=address \
  -Xswiftc -Xfrontend -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING -Xswiftc -enable-testing \
  -Xlinker --whole-archive -Xlinker "$libfuzzer" -Xlinker --no-whole-archive -Xlinker -lstdc++
fuzzer=$SCRATCH/release/keysmith-fuzz
# The Swift runtime's caches live until exit; LeakSanitizer would call them leaks.
export ASAN_OPTIONS=detect_leaks=0
mkdir -p "$SCRATCH/logs" Fuzz/artifacts

# A figure from libFuzzer's final stats in $log, such as number_of_executed_units.
stat() { grep -o "stat::$1: *[0-9]*" "$log" | grep -o '[0-9]*$' || echo '?'; }

if $merge; then
  for target in "${TARGETS[@]}"; do
    before=$(find "Fuzz/corpus/$target" -type f | wc -l)
    "$fuzzer" "$target" -merge=1 -max_len="$(max_len "$target")" "Fuzz/corpus/$target" "$SCRATCH/corpus/$target" \
      >"$SCRATCH/logs/$target-merge.log" 2>&1
    echo "$target: $before → $(find "Fuzz/corpus/$target" -type f | wc -l) inputs"
  done
  du -sh --apparent-size Fuzz/corpus
  exit 0
fi

rows=()
failed=0
for target in "${TARGETS[@]}"; do
  new=$SCRATCH/corpus/$target
  log=$SCRATCH/logs/$target.log
  rm -rf "$new"
  mkdir -p "$new"
  echo "fuzzing $target: $RUNS executions (log: $log)"
  artifacts_before=$(find Fuzz/artifacts -name "$target-*" | wc -l)
  status=0
  # New inputs are written to the first folder, so the committed corpus only changes by --merge.
  "$fuzzer" "$target" -runs="$RUNS" -max_len="$(max_len "$target")" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="Fuzz/artifacts/$target-" "$new" "Fuzz/corpus/$target" >"$log" 2>&1 ||
    status=$?
  crashes=$(($(find Fuzz/artifacts -name "$target-*" | wc -l) - artifacts_before))
  coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo '?')
  rows+=("$(printf '%-12s %11s %8s %12s %8s %9s %8s' "$target" "$(stat number_of_executed_units)" "$crashes" \
    "$(find "$new" -type f | wc -l)" "$(stat average_exec_per_sec)" "$coverage" "$(find "Fuzz/corpus/$target" -type f | wc -l)")")
  if [ "$status" -ne 0 ] || [ "$crashes" -ne 0 ]; then
    failed=1
    echo "$target failed (exit $status):"
    grep -E 'Fatal error|ERROR: |SUMMARY|Test unit written' "$log" | head -5
  fi
done

printf '\n%-12s %11s %8s %12s %8s %9s %8s\n' target executions crashes 'new inputs' 'exec/s' coverage corpus
printf '%s\n' "${rows[@]}"
exit $failed

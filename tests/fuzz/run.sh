#!/bin/sh
# run.sh - `make fuzz`: the libFuzzer target of tests/fuzz/ for FUZZ_TIME
# seconds (default 60) under ASan+UBSan, from a corpus seeded with
# scenarios/*.scn and the regression inputs of tests/fuzz/regressions/
# (each of which must pass first).  Exits non-zero on any finding; the
# crashing input is left in $BUILD/fuzz/ (crash-*, leak-*, timeout-*).
# Uses $BUILD (default build-fuzz) and FUZZ_TIME.

BUILD=${BUILD:-build-fuzz}
FUZZ_TIME=${FUZZ_TIME:-60}
target=$BUILD/fuzz/fuzz-scenario
corpus=$BUILD/fuzz/corpus
dict=$(pwd)/tests/fuzz/scenario.dict

[ -x "$target" ] || { echo "run.sh: $target not built" >&2; exit 2; }
mkdir -p "$corpus" || exit 2
cp scenarios/*.scn tests/fuzz/regressions/* "$corpus"/ 2>/dev/null
# The regressions alone first: each must run clean.
"$target" -runs=0 -artifact_prefix="$BUILD/fuzz/" tests/fuzz/regressions || exit 1
cd "$BUILD/fuzz" || exit 2
exec ./fuzz-scenario -max_total_time="$FUZZ_TIME" -timeout=10 -rss_limit_mb=2048 \
	-max_len=65536 -dict="$dict" -print_final_stats=1 corpus

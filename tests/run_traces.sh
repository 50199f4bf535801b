#!/bin/sh
# run_traces.sh - `ipcsim trace` for every scenarios/*.scn: a JSON trace and
# an HTML page are produced, the trace's end line agrees with `ipcsim run`'s
# exit status, the page is self-contained (no external script, stylesheet,
# font or image; the embedded JSON cannot close its <script> block), and
# every JSON trace validates against docs/trace.schema.json.  The patches
# are right: applied from the header and from every keyframe they give, at
# every step, exactly the state `--keyframe 1` writes in full (the state
# builder version 1 wrote on every line), read by tests/trace_replay.py and
# by the page's own reader (web/trace_state.js), for every scenario and
# for random ones (tests/trace_random.py).  The traces are left in
# $BUILD/trace/ for the browser test (NAME.full.jsonl: every state).  Uses
# $BUILD (default: build).
# Prints `N passed, N failed` and exits non-zero on any failure.

BUILD=${BUILD:-build}
IPCSIM=$BUILD/ipcsim
OUT=$BUILD/trace
passed=0
failed=0

if [ ! -x "$IPCSIM" ]; then
	echo "run_traces.sh: $IPCSIM not built" >&2
	exit 2
fi
mkdir -p "$OUT" "$OUT/random" || exit 2
rm -f "$OUT"/*.jsonl "$OUT"/*.html "$OUT"/random/* "$OUT/patches.todo" "$OUT/patches.log"

fail() {
	failed=$((failed + 1))
	echo "FAIL $*"
}

for scn in scenarios/*.scn; do
	[ -e "$scn" ] || continue
	name=$(basename "$scn" .scn)
	"$IPCSIM" run --no-color "$scn" >/dev/null 2>&1
	want=$?
	"$IPCSIM" trace "$scn" --json "$OUT/$name.jsonl" --html "$OUT/$name.html" 2>"$OUT/$name.err"
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		fail "trace $scn: exit $rc, run exits $want"
		sed 's/^/    /' "$OUT/$name.err"
		continue
	fi
	if ! tail -n 1 "$OUT/$name.jsonl" | grep -q "\"type\":\"end\".*\"exit\":$want"; then
		fail "trace $scn: the last line is not an end line with exit $want"
		continue
	fi
	# One JSON line per step, between a header and an end line.
	lines=$(wc -l <"$OUT/$name.jsonl")
	steps=$(grep -c '^{"type":"step"' "$OUT/$name.jsonl")
	if [ "$lines" -ne $((steps + 2)) ] || [ "$steps" -eq 0 ]; then
		fail "trace $scn: $lines lines for $steps steps"
		continue
	fi
	"$IPCSIM" trace "$scn" --keyframe 1 --json "$OUT/$name.full.jsonl" 2>/dev/null
	"$IPCSIM" trace "$scn" --keyframe 4 --json "$OUT/$name.k4.jsonl" 2>/dev/null
	if grep -Eiq '<script[^>]+src=|<link |@import|url\([^#]|<img ' "$OUT/$name.html"; then
		fail "html $scn: refers to an outside resource"
		continue
	fi
	# The page has two </script>: the JSON block's and the code's.
	if [ "$(grep -o '</script' "$OUT/$name.html" | wc -l)" -ne 2 ]; then
		fail "html $scn: a </script> inside the embedded trace"
		continue
	fi
	# its patches: checked below, every scenario's in one Python process
	echo "$name" >>"$OUT/patches.todo"
done
# The patches of every scenario that passed the checks above: its trace and
# its --keyframe 4 trace against its --keyframe 1 trace (trace_replay.py
# prints one line per pair that differs, starting with the pair's trace).
if [ -s "$OUT/patches.todo" ]; then
	while read -r name; do
		echo "$OUT/$name.jsonl $OUT/$name.full.jsonl $OUT/$name.k4.jsonl $OUT/$name.full.jsonl"
	done <"$OUT/patches.todo" | xargs -r python3 tests/trace_replay.py >"$OUT/patches.log" 2>&1
	while read -r name; do
		why=$(grep -F -e "$OUT/$name.jsonl:" -e "$OUT/$name.k4.jsonl:" "$OUT/patches.log" | head -n 1)
		if [ -n "$why" ]; then fail "patches: $why"; else passed=$((passed + 1)); fi
	done <"$OUT/patches.todo"
	# a line that names no pair (an error of the reader itself) fails too
	if grep -v -F "$OUT/" "$OUT/patches.log" | grep -q .; then
		fail "patches: trace_replay.py: $(grep -v -F "$OUT/" "$OUT/patches.log" | head -n 3)"
	fi
fi

# A run a runtime error stops: its end line says where and why.
stopped=tests/golden/bad/stopped_run.scn
"$IPCSIM" trace "$stopped" --json "$OUT/stopped_run.jsonl" --html "$OUT/stopped_run.html" 2>/dev/null
rc=$?
"$IPCSIM" trace "$stopped" --keyframe 1 --json "$OUT/stopped_run.full.jsonl" 2>/dev/null
if [ "$rc" -ne 2 ]; then
	fail "trace $stopped: exit $rc, not 2"
elif ! tail -n 1 "$OUT/stopped_run.jsonl" | grep -q '"exit":2,.*"error":{"line":5,"col":1,"message":"P2 is blocked in msgrcv since line 4'; then
	fail "trace $stopped: the end line has no error at line 5"
	tail -n 1 "$OUT/stopped_run.jsonl" | sed 's/^/    /'
elif ! grep -q '"error":{"line":5' "$OUT/stopped_run.html"; then
	fail "html $stopped: the page's trace has no error"
else
	passed=$((passed + 1))
fi

# Random scenarios: queues, segments and sets made, used and removed by
# processes that block, wake, fork, exit and are killed (seed: TRACE_SEED).
seed=${TRACE_SEED:-$(date +%j)}
python3 tests/trace_random.py "$seed" 60 "$OUT/random" || exit 2
for scn in "$OUT"/random/*.scn; do
	base=${scn%.scn}
	"$IPCSIM" trace "$scn" --keyframe 3 --json "$base.jsonl" 2>/dev/null
	"$IPCSIM" trace "$scn" --keyframe 1 --json "$base.full.jsonl" 2>/dev/null
	echo "$base.jsonl $base.full.jsonl"
done | xargs -r python3 tests/trace_replay.py >"$OUT/random/patches.log" 2>&1
bad=$(grep -c . "$OUT/random/patches.log")
sed "s/\$/ (seed $seed)/; s/^/    /" "$OUT/random/patches.log"
if [ "$bad" -eq 0 ]; then passed=$((passed + 1)); else fail "patches of $bad random scenarios"; fi

# The page's reader gives the same states, every scenario and every random one.
pairs=$(for f in "$OUT"/*.full.jsonl "$OUT"/random/*.full.jsonl; do
	echo "${f%.full.jsonl}.jsonl" "$f"
done)
# shellcheck disable=SC2086 # the pairs are word-split on purpose
if node tests/browser/replay_states.mjs $pairs >"$OUT/replay.log" 2>&1; then
	passed=$((passed + 1))
else
	fail "the page's reader (web/trace_state.js)"
	grep -v '^ok' "$OUT/replay.log" | sed 's/^/    /'
fi

abs_out=$(cd "$OUT" && pwd)
if (cd tests/browser && node validate_schema.mjs ../../docs/trace.schema.json \
	"$abs_out"/*.jsonl "$abs_out"/random/*.jsonl) >"$OUT/schema.log" 2>&1; then
	passed=$((passed + 1))
else
	fail "schema: docs/trace.schema.json"
	grep -v '^ok' "$OUT/schema.log" | sed 's/^/    /'
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

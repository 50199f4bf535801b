#!/bin/sh
# explore.sh - `ipcsim explore` from the outside: every lesson with programs
# gives the end states worked out by hand (and --naive the same), every
# witness it writes replays through `ipcsim run` with every result held and
# to the same end state as `run --schedule` of the lesson with the witness's
# schedule; the options, their errors and the exit statuses.
#
#   sh tests/explore.sh          the above (part of `make test`)
#   sh tests/explore.sh --check  every witness also through `ipcsim check`
#                                on the real kernel (root; `make test-check`)
#
# Uses $BUILD (default: build).  Prints `N passed, N failed`.

BUILD=${BUILD:-build}
IPCSIM=$BUILD/ipcsim
check=0
[ "${1:-}" = "--check" ] && check=1
passed=0
failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipcsim-explore.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ ! -x "$IPCSIM" ]; then
	echo "explore.sh: $IPCSIM not built" >&2
	exit 2
fi

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }

# outcomes FILE [OPTION]: the outcomes of the JSON report, one a line.
outcomes() {
	"$IPCSIM" explore "$@" --json - | grep -o '"outcome":"[^"]*"' | sed 's/^"outcome":"//; s/"$//'
}

# expect LESSON STATUS OUTCOME...: explore's exit status and outcomes, in
# the report's order, exhaustive and naive alike.
expect() {
	scn=scenarios/$1.scn
	want_rc=$2
	shift 2
	printf '%s\n' "$@" >"$tmp/want"
	for mode in "" --naive; do
		outcomes "$scn" $mode >"$tmp/got"
		"$IPCSIM" explore "$scn" $mode >/dev/null 2>&1
		rc=$?
		if cmp -s "$tmp/want" "$tmp/got" && [ "$rc" -eq "$want_rc" ]; then
			ok
		else
			bad "explore $mode $scn: exit $rc (want $want_rc), outcomes:"
			diff "$tmp/want" "$tmp/got" | sed 's/^/    /'
		fi
	done
}

# Worked out by hand: each lost update loses one deposit; inc/dec x3 ends
# anywhere from 97 to 103; a lock leaves the one right answer.
expect race_deposit 0 "*balance = 150, final = 150, left: 1 segment" \
	"*balance = 200, final = 200, left: 1 segment"
expect race_deposit_3 0 "*balance = 150, final = 150, left: 1 segment" \
	"*balance = 200, final = 200, left: 1 segment" "*balance = 250, final = 250, left: 1 segment"
expect race_deposit_sem 0 "*balance = 250, final = 250, mutex = [1], left: 1 segment, 1 semaphore set"
expect counter_inc_dec 0 "*counter = 97, final = 97, left: 1 segment" \
	"*counter = 98, final = 98, left: 1 segment" "*counter = 99, final = 99, left: 1 segment" \
	"*counter = 100, final = 100, left: 1 segment" "*counter = 101, final = 101, left: 1 segment" \
	"*counter = 102, final = 102, left: 1 segment" "*counter = 103, final = 103, left: 1 segment"
expect counter_inc_dec_sem 0 "*counter = 100, final = 100, lock = [1], left: 1 segment, 1 semaphore set"
expect deadlock_two_sems 1 \
	"DEADLOCK, s = [0, 0], P1 blocked in semop (line 14), P2 blocked in semop (line 20), left: 1 semaphore set" \
	"s = [1, 1], left: 1 semaphore set"
expect deadlock_ordered 0 "s = [1, 1], left: 1 semaphore set"
expect bounded_buffer 0 "*buf = 3, s = [2, 0], total = 6, left: 1 segment, 1 semaphore set"
expect msg_wrong_msgtyp 0 "q holds 1 message, client blocked in msgrcv (line 12), left: 1 queue"

# Two deposits: C(6,3) = 20 interleavings, 2 of them without a lost update.
"$IPCSIM" explore --naive --json - scenarios/race_deposit.scn >"$tmp/dep.json"
if grep -q '"schedules":20,' "$tmp/dep.json" &&
   grep -q '"outcome":"\*balance = 200, final = 200, left: 1 segment","schedules":2,' "$tmp/dep.json"; then
	ok
else
	bad "explore --naive race_deposit: not 20 schedules with 2 reaching 200:"
	cat "$tmp/dep.json"
fi

# Every witness of every lesson replays, every written result held, to the
# state `run --schedule` of the lesson reaches (`# still blocked` lines name
# source lines, which differ).
end_state() {
	sed -n '/^== /,$p' "$1" | grep -v -e '^# still blocked' -e ' passed, '
}
for scn in scenarios/*.scn; do
	grep -q '^program ' "$scn" || continue
	name=$(basename "$scn" .scn)
	mkdir -p "$tmp/w/$name"
	"$IPCSIM" explore "$scn" --witness "$tmp/w/$name" >/dev/null 2>"$tmp/err"
	[ $? -le 1 ] || { bad "explore --witness $scn:"; cat "$tmp/err"; continue; }
	for w in "$tmp/w/$name"/*.scn; do
		sched=$(sed -n 's/^# (--schedule \(.*\))$/\1/p' "$w")
		"$IPCSIM" run --no-color --show=end "$w" >"$tmp/a" 2>&1
		rc=$?
		"$IPCSIM" run --no-color --show=end --schedule "$sched" "$scn" >"$tmp/b" 2>&1
		end_state "$tmp/a" >"$tmp/a.end"
		end_state "$tmp/b" >"$tmp/b.end"
		if [ "$rc" -eq 0 ] && [ -s "$tmp/a.end" ] && cmp -s "$tmp/a.end" "$tmp/b.end" &&
		   ! grep -q '^program ' "$w"; then
			ok
		else
			bad "witness $name/$(basename "$w") (run exit $rc):"
			diff "$tmp/a.end" "$tmp/b.end" | head -10 | sed 's/^/    /'
		fi
	done
	if [ "$check" -eq 1 ]; then
		if "$IPCSIM" check "$tmp/w/$name"/*.scn >"$tmp/check" 2>&1; then
			ok
		else
			bad "ipcsim check of the witnesses of $scn:"
			grep -v '^isolation' "$tmp/check" | sed 's/^/    /'
		fi
	fi
done

# --random: a histogram of the sample, the same for the same seed.
"$IPCSIM" explore --random 200 --seed 3 scenarios/counter_inc_dec.scn >"$tmp/r1"
"$IPCSIM" explore --random 200 --seed 3 scenarios/counter_inc_dec.scn >"$tmp/r2"
if cmp -s "$tmp/r1" "$tmp/r2" && grep -q '^random: 200 schedules (seed 3)' "$tmp/r1" &&
   grep -q '^  \*counter = 100, final = 100, left: 1 segment ' "$tmp/r1"; then
	ok
else
	bad "explore --random 200 --seed 3: not the same twice, or no histogram:"
	cat "$tmp/r1"
fi

# The HTML report: every outcome, each with its witness's trace page.
"$IPCSIM" explore scenarios/deadlock_two_sems.scn --html "$tmp/r.html" >/dev/null
if [ "$(grep -c '<details>' "$tmp/r.html")" -eq 2 ] &&
   [ "$(grep -c '<iframe loading="lazy" srcdoc="&lt;!doctype html&gt;' "$tmp/r.html")" -eq 2 ]; then
	ok
else
	bad "explore --html: not two outcomes each with a trace page"
fi

# Options and their errors: exit 2 and a message, nothing else.
for args in "" "--random 0 scenarios/race_deposit.scn" "--random x scenarios/race_deposit.scn" \
            "--bogus scenarios/race_deposit.scn" "scenarios/race_deposit.scn extra" \
            "--max-states 3 scenarios/race_deposit_3.scn" "$tmp/missing.scn"; do
	# shellcheck disable=SC2086
	"$IPCSIM" explore $args >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 2 ] && [ -s "$tmp/err" -o -n "$(grep '^stopped:' "$tmp/out")" ]; then
		ok
	else
		bad "explore $args: exit $rc (want 2 and a message)"
	fi
done
printf 'program P1 {\n    getpid()\n' >"$tmp/open.scn"
"$IPCSIM" explore "$tmp/open.scn" >/dev/null 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q "open.scn:1:1: error: program P1 is not closed" "$tmp/err"; then
	ok
else
	bad "explore of an unclosed program: exit $rc"
fi
if "$IPCSIM" explore --help | grep -q '^usage: ipcsim explore FILE'; then ok; else bad "explore --help"; fi
"$IPCSIM" run --schedule rr:0 scenarios/race_deposit.scn >/dev/null 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q 'rr:N takes a quantum' "$tmp/err"; then ok; else bad "run --schedule rr:0: exit $rc"; fi
"$IPCSIM" run --schedule child,nobody scenarios/race_deposit.scn >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q "schedule's step 2 names nobody, which runs no program here" "$tmp/err"; then
	ok
else
	bad "run --schedule child,nobody: exit $rc"
	cat "$tmp/err"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

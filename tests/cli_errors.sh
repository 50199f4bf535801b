#!/bin/sh
# cli_errors.sh - the command line's errors point the right way: an empty
# scenario or a directory is refused with the reason (exit 2, no `N passed`
# summary), `-` reads the scenario from standard input, `trace` without an
# output option names it, a run a runtime error stops still leaves its trace,
# a warning does not stop a run.  Uses $BUILD (default: build).  Prints
# `N passed, N failed`.

BUILD=${BUILD:-build}
IPCSIM=$BUILD/ipcsim
passed=0
failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipcsim-cli.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ ! -x "$IPCSIM" ]; then
	echo "cli_errors.sh: $IPCSIM not built" >&2
	exit 2
fi

ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

# expect NAME STATUS PATTERN CMD...: CMD (stdin from $tmp/in) exits STATUS
# and its stderr has the fixed string PATTERN.
expect() {
	name=$1 want=$2 pattern=$3
	shift 3
	"$@" <"$tmp/in" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq "$want" ] && { [ -z "$pattern" ] || grep -qF -- "$pattern" "$tmp/err"; }; then ok; else
		fail "$name: exit $rc (want $want), stderr: $(head -c 300 "$tmp/err")"
	fi
}
# out_has NAME PATTERN / out_lacks NAME PATTERN: the last command's stdout.
out_has() { if grep -qF -- "$2" "$tmp/out"; then ok; else fail "$1: no '$2' in: $(head -c 300 "$tmp/out")"; fi; }
out_lacks() { if grep -qF -- "$2" "$tmp/out"; then fail "$1: '$2' in: $(head -c 300 "$tmp/out")"; else ok; fi; }

: >"$tmp/in"

# ---- an empty scenario, a directory ------------------------------------------
: >"$tmp/empty.scn"
expect "run: an empty file" 2 "empty.scn: error: no steps: the scenario is empty" \
	"$IPCSIM" run "$tmp/empty.scn"
out_lacks "run: an empty file prints no summary" "passed"
printf '# only a comment\n\n' >"$tmp/comments.scn"
expect "run: only comments" 2 "error: no steps: the scenario is only comments and blank lines" \
	"$IPCSIM" run "$tmp/comments.scn"
expect "record: an empty file" 2 "no steps" "$IPCSIM" record "$tmp/empty.scn"
expect "trace: an empty file" 2 "no steps" "$IPCSIM" trace "$tmp/empty.scn" --json -
expect "trace: --keyframe 0" 2 "--keyframe takes a number of steps from 1" \
	"$IPCSIM" trace "$tmp/empty.scn" --keyframe 0 --json -
expect "trace: --keyframe 2x" 2 "not '2x'" "$IPCSIM" trace "$tmp/empty.scn" --keyframe 2x --json -
expect "run: a directory" 2 "$tmp: error: cannot read: Is a directory" "$IPCSIM" run "$tmp"
expect "trace: a directory" 2 "Is a directory" "$IPCSIM" trace "$tmp" --json -

# ---- a malformed file: nothing runs, no summary ------------------------------
printf 'P1: getpid()\nP1: k = ftok("./f", "Q")\n' >"$tmp/typed.scn"
expect "run: a type error is found before anything runs" 2 "typed.scn:2:21: error:" \
	"$IPCSIM" run "$tmp/typed.scn"
out_lacks "run: a malformed file prints no step" "getpid"
out_lacks "run: a malformed file prints no summary" "passed"

# ---- `-`: standard input -------------------------------------------------------
printf 'P1: q = msgget(IPC_PRIVATE, 0600) = 0\nP1: getpid() = 1000\n' >"$tmp/in"
expect "run -" 0 "" "$IPCSIM" run -
out_has "run - runs standard input" "2 passed, 0 failed"
expect "record -" 0 "" "$IPCSIM" record -
out_has "record - writes the key" "P1: getpid() = 1000"
expect "trace -" 0 "" "$IPCSIM" trace - --json -
out_has "trace - names <stdin>" '"file":"<stdin>"'
printf 'P1: getpid(\n' >"$tmp/in"
expect "run -: diagnostics name <stdin>" 2 "<stdin>:1:12: error:" "$IPCSIM" run -
expect "step -: keys come from stdin" 2 "step reads its keys from standard input" \
	"$IPCSIM" step -
: >"$tmp/in"

# ---- trace names its missing option ------------------------------------------
printf 'P1: getpid()\n' >"$tmp/one.scn"
expect "trace without --json/--html" 2 "say where the trace goes: --json OUT" \
	"$IPCSIM" trace "$tmp/one.scn"

# ---- a run a runtime error stops keeps its trace, which says why ---------------
cp tests/golden/bad/stopped_run.scn "$tmp/stopped.scn"
expect "trace of a stopped run" 2 "P2 is blocked in msgrcv since line 4" \
	"$IPCSIM" trace "$tmp/stopped.scn" --json "$tmp/stopped.jsonl" --html "$tmp/stopped.html"
if [ -f "$tmp/stopped.jsonl" ] && tail -n 1 "$tmp/stopped.jsonl" | grep -q '"error":{"line":5,'; then ok; else
	fail "trace of a stopped run: no trace file with the error"; fi
if [ -f "$tmp/stopped.html" ] && grep -q '"error":{"line":5,' "$tmp/stopped.html"; then ok; else
	fail "trace of a stopped run: no page with the error"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/bin/sh
# grade_exec.sh - `ipcsim grade --check CHECKS --exec -- COMMAND`: students'
# C programs graded by a write exercise's checks (part of `make test-exec`).
#
# The samples of scenarios/exercises/shm_pair and tests/programs/deadlock.c
# get exactly the scores worked out by hand below; a program still running
# at --timeout is "not graded" (exit 1), never a score; a deadlock is graded
# and named; the Gradescope/PrairieLearn JSON validates; usage errors are
# exit 2.  Uses $BUILD (default: build).  Prints `N passed, N failed`.

cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
IPCSIM=$PWD/$BUILD/ipcsim
EX=$PWD/scenarios/exercises/shm_pair
passed=0
failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipcsim-grade-exec.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

for d in right no_rmid silent; do mkdir -p "$tmp/$d"; done
build() { cc -std=c11 -D_GNU_SOURCE -O2 -o "$2" "$1" || fail "build $1"; }
build "$EX/samples/writer_right.c" "$tmp/right/writer"
build "$EX/samples/reader_right.c" "$tmp/right/reader"
build "$EX/samples/writer_no_rmid.c" "$tmp/no_rmid/writer"
build "$EX/samples/reader_right.c" "$tmp/no_rmid/reader"
build "$EX/samples/writer_right.c" "$tmp/silent/writer"
build "$EX/samples/reader_silent.c" "$tmp/silent/reader"
build tests/programs/deadlock.c "$tmp/deadlock"
pair="./writer & ./reader; wait"

# grade DIR CHECKS [OPTIONS] -- COMMAND...: in DIR, output in $tmp/out, status in $st
grade() {
	dir=$1 checks=$2
	shift 2
	(cd "$dir" && TMPDIR=$tmp "$IPCSIM" grade --check "$checks" "$@") >"$tmp/out" 2>"$tmp/err"
	st=$?
}
score() { # WANT NAME
	got=$(sed -n 's/^Score: //p' "$tmp/out")
	[ "$got" = "$1" ] && [ "$st" -eq 0 ] && ok ||
		{ fail "$2: Score '$got' status $st, want $1"; sed 's/^/    /' "$tmp/out" "$tmp/err"; }
}

# ---- shm_pair, scored by hand -------------------------------------------------
# Checks: forbid msgget semget (1 point), `$ sudo ipcs -m` an empty table
# (2 points): out of 3.
# right: shared memory only (1), the writer removes the segment (2): 3/3.
grade "$tmp/right" "$EX/checks.scn" --gradescope "$tmp/right.gs.json" \
	--prairielearn "$tmp/right.pl.json" --junit "$tmp/right.xml" --exec -- sh -c "$pair"
score 3/3 "shm_pair right"
grep -q 'the program exited with status 0' "$tmp/out" && ok || fail "right: no exit status line"
# no_rmid: shared memory only (1); the segment 0x5678 is left with mode 600,
# 27 bytes, no attachment, so ipcs -m shows a row: 0 of 2.  1/3.
grade "$tmp/no_rmid" "$EX/checks.scn" --exec -- sh -c "$pair"
score 1/3 "shm_pair no_rmid"
grep -q "got '0x00005678 0  *root  *600  *27  *0 " "$tmp/out" && grep -q 'hint: remove the segment' "$tmp/out" &&
	ok || fail "no_rmid: the row left and the hint are not in the feedback"
# the reader never answers: the writer polls for ever, a wall-clock stop: not graded
grade "$tmp/silent" "$EX/checks.scn" --gradescope "$tmp/silent.gs.json" \
	--prairielearn "$tmp/silent.pl.json" --exec --timeout=1 -- sh -c "$pair"
[ "$st" -eq 1 ] && grep -q 'ERROR (not graded):.*--timeout' "$tmp/out" && ! grep -q '^Score' "$tmp/out" &&
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d["gradable"] is not False)' \
		"$tmp/silent.pl.json" && ok ||
	{ fail "timeout: want not graded, exit 1 (status $st)"; sed 's/^/    /' "$tmp/out"; }

# ---- a deadlocked program, graded ---------------------------------------------
# shm_pair's checks: deadlock.c calls msgget (0 of 1), leaves no segment (2): 2/3.
grade "$tmp" "$EX/checks.scn" --exec -- ./deadlock
score 2/3 "deadlock, shm_pair checks"
grep -q 'deadlock: every process waits' "$tmp/out" && grep -q '  deadlock sleeps in msgrcv' "$tmp/out" &&
	grep -q '  deadlock2 sleeps in msgrcv' "$tmp/out" && ! grep -q '(pid ' "$tmp/out" && ok ||
	fail "deadlock: the sleepers are not named (without real pids)"
# tests/grade_exec/deadlock_checks.scn: deadlock (the parent) slept in msgrcv
# (2); deadlock2 never slept in msgsnd (0 of 1); no message is left in queue 0
# (3); nothing was received, so msg_lrpid is 0, not 1000 (0 of 1): 5/7.
grade "$tmp" "$PWD/tests/grade_exec/deadlock_checks.scn" --exec -- ./deadlock
score 5/7 "deadlock, its own checks"

# ---- reports ------------------------------------------------------------------
if python3 -c 'import jsonschema' 2>/dev/null; then
	python3 - "$tmp" <<'PY' && ok || fail "JSON schemas"
import json, sys, jsonschema
tmp = sys.argv[1]
gs = json.load(open('tests/grade/gradescope.schema.json'))
pl = json.load(open('tests/grade/prairielearn.schema.json'))
for f in ('right', 'silent'):
    jsonschema.validate(json.load(open(f'{tmp}/{f}.gs.json')), gs)
    jsonschema.validate(json.load(open(f'{tmp}/{f}.pl.json')), pl)
assert json.load(open(f'{tmp}/right.gs.json'))['score'] == 3
PY
else
	fail "python3-jsonschema missing (make deps installs it)"
fi
if command -v xmllint >/dev/null 2>&1; then
	xmllint --noout --schema tests/grade/junit.xsd "$tmp/right.xml" 2>"$tmp/err" && ok ||
		fail "JUnit XML: $(cat "$tmp/err")"
fi

# ---- usage errors: exit 2, nothing graded ---------------------------------------
usage() { # WHAT ARGS...
	what=$1
	shift
	"$IPCSIM" grade "$@" >"$tmp/out" 2>"$tmp/err"
	s=$?
	[ "$s" -eq 2 ] && ! grep -q '^Score' "$tmp/out" && ok || fail "$what: status $s, want 2"
}
usage "--exec without --check" --key "$EX/checks.scn" --exec -- true
usage "--exec with a submission file" --check "$EX/checks.scn" x.scn --exec -- true
usage "--exec without a command" --check "$EX/checks.scn" --exec
usage "--exec with a bad option" --check "$EX/checks.scn" --exec --timeout=0 -- true
usage "--exec with --record -" --check "$EX/checks.scn" --exec --record - -- true
grep -q "'-' (standard output) is the program's" "$tmp/err" && ok || fail "--record -: no reason"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

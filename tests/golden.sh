#!/bin/sh
# golden.sh - `ipcsim run`, `record` and `trace --json` of every scenario
# (scenarios/*.scn and the malformed or failing files in tests/golden/bad/),
# and the whole state on every step (`trace --keyframe 1`) of
# tests/golden/states/*.scn, must print exactly what tests/golden/ holds:
# refactoring changes no output.
#
#   sh tests/golden.sh           compare (part of `make test`)
#   sh tests/golden.sh --update  rewrite tests/golden/ (`make golden`: a
#                                deliberate change of output, reviewed in git diff)
#
# Uses $BUILD (default: build).  Prints `N passed, N failed`.

BUILD=${BUILD:-build}
IPCSIM=$BUILD/ipcsim
GOLDEN=tests/golden
update=0
[ "${1:-}" = "--update" ] && update=1
passed=0
failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipcsim-golden.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ ! -x "$IPCSIM" ]; then
	echo "golden.sh: $IPCSIM not built" >&2
	exit 2
fi

# produce NAME FILE: every output of FILE into $tmp/NAME.{run,rec,json}, each
# ending with the command's exit status so a changed status shows too.
produce() {
	"$IPCSIM" run --no-color --show=each "$2" >"$tmp/$1.run" 2>&1
	echo "exit $?" >>"$tmp/$1.run"
	"$IPCSIM" record "$2" -o "$tmp/$1.rec.scn" >"$tmp/$1.rec" 2>&1
	echo "exit $?" >>"$tmp/$1.rec"
	[ -f "$tmp/$1.rec.scn" ] && cat "$tmp/$1.rec.scn" >>"$tmp/$1.rec"
	rm -f "$tmp/$1.rec.scn"
	"$IPCSIM" trace "$2" --json - >"$tmp/$1.json" 2>&1
	echo "exit $?" >>"$tmp/$1.json"
}

# check FILE NAME KIND: $tmp/NAME.KIND (an output of FILE) is $GOLDEN/NAME.KIND.
check() {
	if [ "$update" -eq 1 ]; then
		cp "$tmp/$2.$3" "$GOLDEN/$2.$3"
		passed=$((passed + 1))
	elif cmp -s "$tmp/$2.$3" "$GOLDEN/$2.$3"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL $1: $3 output differs from $GOLDEN/$2.$3:"
		diff -u "$GOLDEN/$2.$3" "$tmp/$2.$3" 2>&1 | head -20 | sed 's/^/    /'
	fi
}

for scn in scenarios/*.scn "$GOLDEN"/bad/*.scn; do
	[ -e "$scn" ] || continue
	name=$(basename "$scn" .scn)
	case $scn in "$GOLDEN"/bad/*) name=bad-$name ;; esac
	produce "$name" "$scn"
	for kind in run rec json; do
		check "$scn" "$name" "$kind"
	done
done

# Every field of every kind of object in the state, byte for byte.  The
# patches are checked against these states (tests/run_traces.sh), and both
# are written from one description of the fields (sim/trace/trace_state.c):
# this holds the fields themselves.
for scn in "$GOLDEN"/states/*.scn; do
	[ -e "$scn" ] || continue
	name=states-$(basename "$scn" .scn)
	"$IPCSIM" trace "$scn" --keyframe 1 --json - >"$tmp/$name.json" 2>&1
	echo "exit $?" >>"$tmp/$name.json"
	check "$scn" "$name" json
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

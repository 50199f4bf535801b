#!/bin/sh
# golden.sh - `ipcsim run`, `record` and `trace --json` of every scenario
# (scenarios/*.scn and the malformed or failing files in tests/golden/bad/)
# must print exactly what tests/golden/ holds: refactoring changes no output.
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

for scn in scenarios/*.scn "$GOLDEN"/bad/*.scn; do
	[ -e "$scn" ] || continue
	name=$(basename "$scn" .scn)
	case $scn in "$GOLDEN"/bad/*) name=bad-$name ;; esac
	produce "$name" "$scn"
	for kind in run rec json; do
		if [ "$update" -eq 1 ]; then
			cp "$tmp/$name.$kind" "$GOLDEN/$name.$kind"
			passed=$((passed + 1))
		elif cmp -s "$tmp/$name.$kind" "$GOLDEN/$name.$kind"; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
			echo "FAIL $scn: $kind output differs from $GOLDEN/$name.$kind:"
			diff -u "$GOLDEN/$name.$kind" "$tmp/$name.$kind" 2>&1 | head -20 | sed 's/^/    /'
		fi
	done
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

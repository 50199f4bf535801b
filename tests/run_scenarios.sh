#!/bin/sh
# run_scenarios.sh - every scenarios/*.scn must run clean (exit 0), and its
# `ipcsim record` must replay clean too.  Uses $BUILD (default: build).
# Prints `N passed, N failed` and exits non-zero on any failure.

BUILD=${BUILD:-build}
IPCSIM=$BUILD/ipcsim
passed=0
failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipcsim-scn.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ ! -x "$IPCSIM" ]; then
	echo "run_scenarios.sh: $IPCSIM not built" >&2
	exit 2
fi

for scn in scenarios/*.scn; do
	[ -e "$scn" ] || continue
	name=$(basename "$scn" .scn)
	"$IPCSIM" run --no-color "$scn" >"$tmp/$name.out" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL run $scn (exit $rc):"
		grep -E 'failed:|error:' "$tmp/$name.out" | sed 's/^/    /'
	fi
	if ! "$IPCSIM" record "$scn" -o "$tmp/$name.rec.scn" 2>"$tmp/$name.rec.err"; then
		failed=$((failed + 1))
		echo "FAIL record $scn:"
		sed 's/^/    /' "$tmp/$name.rec.err"
	elif "$IPCSIM" run --no-color "$tmp/$name.rec.scn" >"$tmp/$name.rec.out" 2>&1; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL replay of the record of $scn:"
		grep -E 'failed:|error:' "$tmp/$name.rec.out" | sed 's/^/    /'
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/bin/sh
# output_faults.sh - a result that cannot be written is an error, never a
# silent exit 0 or a file cut mid-line under its final name:
#   - standard output on /dev/full or closed: exit 2 with the reason;
#   - -o / --json / --html onto a full file system (a 64 KiB tmpfs in a
#     private mount namespace, as root): exit 2, the old file kept, no
#     temporary file left;
#   - a reader that goes away (`| head`): death by SIGPIPE, status 141, no
#     message, even when SIGPIPE was ignored by the caller.
# Uses $BUILD (default: build).  Prints `N passed, N failed`.

BUILD=${BUILD:-build}
IPCSIM=$(cd "$(dirname "$BUILD/ipcsim")" && pwd)/ipcsim
passed=0
failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipcsim-out.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
scn=scenarios/msgrcv_orders.scn

ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

# expect_fail NAME PATTERN CMD...: CMD exits 2 and says PATTERN on stderr.
expect_fail() {
	name=$1 pattern=$2
	shift 2
	"$@" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 2 ] && grep -q "$pattern" "$tmp/err"; then ok; else
		fail "$name: exit $rc, stderr: $(head -c 300 "$tmp/err")"
	fi
}

expect_fail "run > /dev/full" "standard output: No space left on device" \
	sh -c "exec '$IPCSIM' run --show=each $scn >/dev/full"
expect_fail "record > /dev/full" "standard output: No space left on device" \
	sh -c "exec '$IPCSIM' record $scn >/dev/full"
expect_fail "record -o /dev/full" "/dev/full: No space left on device" \
	"$IPCSIM" record $scn -o /dev/full
expect_fail "trace --json /dev/full" "No space left on device" \
	"$IPCSIM" trace $scn --json /dev/full
expect_fail "run >&-" "standard output: Bad file descriptor" \
	sh -c "exec '$IPCSIM' run $scn >&-"
expect_fail "record -o into a missing directory" "$tmp/no/such/key.scn: No such file" \
	"$IPCSIM" record $scn -o "$tmp/no/such/key.scn"
if [ "$(id -u)" -eq 0 ]; then
	expect_fail "check > /dev/full" "standard output: No space left on device" \
		sh -c "exec '$IPCSIM' check $scn >/dev/full"
fi

# A reader that goes away: SIGPIPE, 141, nothing on stderr.  The run
# prints far more than a pipe holds (400 diagrams, about 500 KB).
i=0
while [ $i -lt 400 ]; do echo "P1: sleep(1)"; i=$((i + 1)); done >"$tmp/long.scn"
for ignore in no yes; do
	(
		[ "$ignore" = yes ] && trap '' PIPE
		"$IPCSIM" run --show=each "$tmp/long.scn" 2>"$tmp/pipe.err"
		echo $? >"$tmp/pipe.rc"
	) | head -1 >/dev/null
	rc=$(cat "$tmp/pipe.rc")
	if [ "$rc" = 141 ] && [ ! -s "$tmp/pipe.err" ]; then ok; else
		fail "run | head (SIGPIPE ignored: $ignore): exit $rc, stderr: $(head -c 200 "$tmp/pipe.err")"
	fi
done

# A full file system: the final name keeps what it had, no temporary file.
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null; then
	i=0
	while [ $i -lt 4000 ]; do
		echo "P1: q$i = msgget(IPC_PRIVATE, 0600) = ?"
		i=$((i + 1))
	done >"$tmp/big.scn"
	cp $scn "$tmp/small.scn"
	unshare -m sh -c '
		mount -t tmpfs -o size=64k tmpfs "$1" || exit 3
		echo old >"$1/key.scn"
		echo old >"$1/t.jsonl"
		"$2" record "$3/big.scn" -o "$1/key.scn" 2>"$3/full1.err"; echo $? >"$3/full1.rc"
		"$2" trace "$3/small.scn" --json "$1/t.jsonl" 2>"$3/full2.err"; echo $? >"$3/full2.rc"
		cat "$1/key.scn" "$1/t.jsonl" >"$3/full.kept"
		ls -a "$1" >"$3/full.ls"
	' sh "$tmp/mnt" "$IPCSIM" "$tmp" 2>/dev/null || mkdir -p "$tmp/mnt"
	if [ -f "$tmp/full1.rc" ]; then
		if [ "$(cat "$tmp/full1.rc")" = 2 ] && [ "$(cat "$tmp/full2.rc")" = 2 ] &&
		   grep -q "No space left on device" "$tmp/full1.err" &&
		   grep -q "No space left on device" "$tmp/full2.err" &&
		   [ "$(cat "$tmp/full.kept")" = "old
old" ] && [ "$(grep -vc '^\.\.*$' "$tmp/full.ls")" = 2 ]; then ok; else
			fail "full tmpfs: record $(cat "$tmp/full1.rc"), trace $(cat "$tmp/full2.rc"), kept: $(cat "$tmp/full.kept"), files: $(cat "$tmp/full.ls" | tr '\n' ' ')"
		fi
	fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

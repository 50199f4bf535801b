#!/bin/sh
# check_sandbox.sh - `ipcsim check` as the autograders run it: a hostile
# scenario cannot reach the machine, and check says how it is isolated.
#
#   - attack 1 of the issue (a `$ sudo sysctl -w kernel.core_pattern=|...`)
#     is refused when the file is read, before anything runs: exit 2, the
#     line and column, no sandbox started, core_pattern and the marker
#     file as they were;
#   - the isolation line on standard error (and "isolation" in --json):
#     with a user namespace as root, and without one
#     (IPCSIM_CHECK_NO_USERNS=1), where every lesson must still agree;
#   - as an ordinary user (setpriv to nobody), where only uid 1000 exists;
#   - the budget: a segment past it is STOPPED, exit 2, in text and JSON;
#   - the machine's System V IPC objects are the same after as before.
# The probes from inside the sandbox are tests/host/test_sandbox.c.
# Uses $BUILD (default: build).  Exits non-zero on any failure.

BUILD=${BUILD:-build}
IPCSIM=$(cd "$(dirname "$BUILD/ipcsim")" && pwd)/ipcsim
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipcsim-sandbox.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
failed=0

fail() {
	echo "FAIL $*"
	failed=1
}

if [ ! -x "$IPCSIM" ]; then
	echo "check_sandbox.sh: $IPCSIM not built" >&2
	exit 2
fi
cat /proc/sysvipc/msg /proc/sysvipc/shm /proc/sysvipc/sem >"$tmp/before" 2>/dev/null

# ---- attack 1: refused before anything runs --------------------------------
marker=$tmp/attack-marker
pattern_before=$(cat /proc/sys/kernel/core_pattern)
cat >"$tmp/attack.scn" <<EOF
\$ sudo sysctl -w "kernel.core_pattern=|/usr/bin/touch $marker"
P1: q = msgget(IPC_PRIVATE, 0600)
P1: shmat(0, 0, 0)
EOF
"$IPCSIM" check "$tmp/attack.scn" >"$tmp/out" 2>&1
rc=$?
[ "$rc" -eq 2 ] || fail "attack 1: exit $rc, not 2"
grep -q "attack.scn:1:.*error: sysctl .*only kernel.msg\*, kernel.shm\* and kernel.sem\*" \
	"$tmp/out" || fail "attack 1: no error at its line: $(cat "$tmp/out")"
grep -q '^isolation:' "$tmp/out" && fail "attack 1: a sandbox was started for a refused file"
[ "$(cat /proc/sys/kernel/core_pattern)" = "$pattern_before" ] ||
	fail "attack 1: kernel.core_pattern changed"
[ -e "$marker" ] && fail "attack 1: the marker file exists"
[ "$failed" -eq 0 ] && echo "ok attack 1 refused before anything ran"

# ---- the isolation it says it has, in both modes ------------------------------
printf 'P1: q = msgget(IPC_PRIVATE, 0600) = 0\n$ ipcs -q\n' >"$tmp/small.scn"
if [ "$(id -u)" -eq 0 ]; then
	"$IPCSIM" check "$tmp/small.scn" >"$tmp/out" 2>"$tmp/err" || fail "small.scn: $(cat "$tmp/out")"
	head -n 1 "$tmp/err" | grep -q '^isolation: user+pid+ipc+uts+net+mount+cgroup namespaces (ids 0-65535 are host' ||
		fail "isolation with a user namespace: $(cat "$tmp/err")"
	IPCSIM_CHECK_NO_USERNS=1 "$IPCSIM" check "$tmp/small.scn" >"$tmp/out" 2>"$tmp/err" ||
		fail "small.scn without a user namespace: $(cat "$tmp/out")"
	head -n 1 "$tmp/err" | grep -q '^isolation: pid+ipc+uts+net+mount+cgroup namespaces, no user namespace' ||
		fail "isolation without a user namespace: $(cat "$tmp/err")"
	"$IPCSIM" check --json "$tmp/small.scn" >"$tmp/json" 2>"$tmp/err"
	grep -q '"isolation":"user+pid+ipc' "$tmp/json" || fail "no isolation in --json"
	[ -s "$tmp/err" ] && fail "--json wrote to standard error: $(cat "$tmp/err")"
	# Every lesson agrees without a user namespace too.
	IPCSIM_CHECK_NO_USERNS=1 "$IPCSIM" check scenarios/*.scn >"$tmp/out" 2>&1 ||
		fail "scenarios without a user namespace: $(grep -v ': ok' "$tmp/out")"
	# Every lesson but the one of msgpool (a simulator-only model) agrees.
	lessons=$(ls scenarios/*.scn | wc -l)
	tail -n 1 "$tmp/out" | grep -q "^$((lessons - 1)) passed, 0 failed, 1 skipped" ||
		fail "scenarios without a user namespace: $(tail -n 1 "$tmp/out")"
	[ "$failed" -eq 0 ] && echo "ok isolation said in both modes; every lesson agrees in both"
fi

# ---- an ordinary user: only uid 1000 ------------------------------------------
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1 &&
   setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$IPCSIM" 2>/dev/null; then
	chmod 755 "$tmp"
	chmod 644 "$tmp/small.scn"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$IPCSIM" check "$tmp/small.scn" \
		>"$tmp/out" 2>"$tmp/err" || fail "as nobody: $(cat "$tmp/out" "$tmp/err")"
	grep -q '^isolation: user+pid+ipc+uts+net+mount+cgroup namespaces (only uid 1000' "$tmp/err" ||
		fail "isolation as nobody: $(cat "$tmp/err")"
	[ "$failed" -eq 0 ] && echo "ok as an ordinary user: a user namespace of uid 1000 alone"
else
	echo "skipped: the ordinary-user run (not root, no setpriv, or $IPCSIM not reachable by nobody)"
fi

# ---- the budget ------------------------------------------------------------------
printf 'P1: shmget(IPC_PRIVATE, 4096, 0600) = 0\nP1: shmget(IPC_PRIVATE, 300000000, 0600)\n' \
	>"$tmp/big.scn"
"$IPCSIM" check "$tmp/big.scn" >"$tmp/out" 2>/dev/null
rc=$?
[ "$rc" -eq 2 ] || fail "budget: exit $rc, not 2"
grep -q 'big.scn: STOPPED at line 2 (1 step agreed before): over the budget: .* KiB of shared-memory segments, over the budget of 262144 KiB' "$tmp/out" ||
	fail "budget: $(cat "$tmp/out")"
"$IPCSIM" check --json "$tmp/big.scn" >"$tmp/json" 2>/dev/null
grep -q '"verdict":"stopped"' "$tmp/json" && grep -q '"stopped_line":2' "$tmp/json" ||
	fail "budget in --json: $(cat "$tmp/json")"
[ "$failed" -eq 0 ] && echo "ok the budget stops a step before the host runs it"

cat /proc/sysvipc/msg /proc/sysvipc/shm /proc/sysvipc/sem >"$tmp/after" 2>/dev/null
if ! cmp -s "$tmp/before" "$tmp/after"; then
	fail "the machine's System V IPC objects changed:"
	diff "$tmp/before" "$tmp/after"
fi
[ "$failed" -eq 0 ] && echo "check_sandbox.sh: ok"
[ "$failed" -eq 0 ]

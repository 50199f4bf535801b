#!/bin/sh
# check_shell.sh - `ipcsim check` of the `$` lines that name the scenario's
# own pids and keys (tests/check/*.scn):
#   - `ipcrm -Q KEY` (and -M, -S, the long forms) with an ftok key: the host
#     removes the real file's key, and ipcrm's echo reads as written;
#   - `cat /proc/PID/maps` as the process's user, as another user
#     (Permission denied on both sides) and with sudo: the System V lines,
#     addresses through the attachments, in any order; pids the scenario
#     has no process for reach no real process.
# Each file must run with its expectations met (`ipcsim run`, the
# simulator's own output) and agree with the kernel, every step compared
# and none skipped, with a user namespace and (as root) without one.  The
# machine's System V IPC objects must be the same after as before.  A wrong
# maps model being caught is build/tests/check-tests (tests/check/*.c).
# Uses $BUILD (default: build).  Exits non-zero on any failure.

BUILD=${BUILD:-build}
IPCSIM=$BUILD/ipcsim
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipcsim-check-shell.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
failed=0

fail() {
	echo "FAIL $*"
	failed=1
}

if [ ! -x "$IPCSIM" ]; then
	echo "check_shell.sh: $IPCSIM not built" >&2
	exit 2
fi
cat /proc/sysvipc/msg /proc/sysvipc/shm /proc/sysvipc/sem >"$tmp/before" 2>/dev/null

for scn in tests/check/*.scn; do
	"$IPCSIM" run "$scn" >"$tmp/run" 2>&1 || fail "$scn: ipcsim run: $(grep ': failed: ' "$tmp/run")"
done

# modes: "" (a user namespace where the machine allows), and as root also
# without one
modes=userns
[ "$(id -u)" -eq 0 ] && modes="userns no-userns"
for mode in $modes; do
	if [ "$mode" = no-userns ]; then
		IPCSIM_CHECK_NO_USERNS=1 "$IPCSIM" check tests/check/*.scn >"$tmp/report" 2>&1
	else
		"$IPCSIM" check tests/check/*.scn >"$tmp/report" 2>&1
	fi
	rc=$?
	[ "$rc" -eq 0 ] || fail "$mode: ipcsim check exit $rc: $(grep -v '^isolation' "$tmp/report")"
	for scn in tests/check/*.scn; do
		# "FILE: ok (N steps agreed)": no step skipped, none left out
		grep -q "^$scn: ok ([0-9]* steps agreed)\$" "$tmp/report" ||
			fail "$mode: $scn: $(grep -A3 "^$scn:" "$tmp/report")"
	done
	[ "$failed" -eq 0 ] && echo "ok $mode: $(tail -n 1 "$tmp/report")"
done

cat /proc/sysvipc/msg /proc/sysvipc/shm /proc/sysvipc/sem >"$tmp/after" 2>/dev/null
if ! cmp -s "$tmp/before" "$tmp/after"; then
	fail "the machine's System V IPC objects changed:"
	diff "$tmp/before" "$tmp/after"
fi

[ "$failed" -eq 0 ] && echo "check_shell.sh: every \$ line agrees with the real tools"
[ "$failed" -eq 0 ]

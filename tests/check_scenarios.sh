#!/bin/sh
# check_scenarios.sh - `ipcsim check` over every scenarios/*.scn and every
# exercise's key (scenarios/exercises/*/key.scn): each must
# agree with the host kernel, or be skipped for a documented reason:
#   - a whole scenario only when it sets `limit msgpool` (a simulator-only
#     model: Linux has no message pool);
#   - a single step only when the host cannot grant a capability (root here
#     lacks CAP_SYS_RESOURCE in containers) - as root; an ordinary user
#     (user namespace) may see more skipped steps, which are listed.
# The machine's own System V IPC objects must be the same after as before.
# Uses $BUILD (default: build).  Exits non-zero on any failure.

BUILD=${BUILD:-build}
IPCSIM=$BUILD/ipcsim
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipcsim-check.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
failed=0

if [ ! -x "$IPCSIM" ]; then
	echo "check_scenarios.sh: $IPCSIM not built" >&2
	exit 2
fi

cat /proc/sysvipc/msg /proc/sysvipc/shm /proc/sysvipc/sem >"$tmp/before" 2>/dev/null

"$IPCSIM" check scenarios/*.scn scenarios/exercises/*/key.scn >"$tmp/report" 2>&1
rc=$?
cat "$tmp/report"
if [ "$rc" -ne 0 ]; then
	echo "FAIL ipcsim check scenarios/*.scn (exit $rc)"
	failed=1
fi

# Whole scenarios skipped: only for the message pool.
grep -E '^[^ ].*: skipped: ' "$tmp/report" | while IFS=: read -r scn _; do
	if ! grep -q '^limit msgpool' "$scn"; then
		echo "FAIL $scn is skipped but sets no msgpool"
		echo x >>"$tmp/bad"
	fi
done

# Single steps skipped: only for a capability the host cannot grant (as root).
if [ "$(id -u)" -eq 0 ]; then
	grep -E '^  line [0-9]+: skipped: ' "$tmp/report" | grep -v 'cannot grant' |
	while read -r line; do
		echo "FAIL unexpected skipped step: $line"
		echo x >>"$tmp/bad"
	done
fi
[ -e "$tmp/bad" ] && failed=1

cat /proc/sysvipc/msg /proc/sysvipc/shm /proc/sysvipc/sem >"$tmp/after" 2>/dev/null
if ! cmp -s "$tmp/before" "$tmp/after"; then
	echo "FAIL the machine's System V IPC objects changed:"
	diff "$tmp/before" "$tmp/after"
	failed=1
fi

[ "$failed" -eq 0 ] && echo "check_scenarios.sh: every scenario agrees with the kernel"
[ "$failed" -eq 0 ]

#!/bin/sh
# check_kill.sh - `ipcsim check` killed mid-run leaves nothing behind: no
# process of it (coordinator, scenario children) and no System V IPC object
# in the machine's namespace.  The scenario is long and keeps a receiver
# asleep in msgrcv most of the time, so the kill lands during blocking.
# Each of SIGINT (Ctrl-C), SIGTERM and SIGKILL.  Uses $BUILD (default: build).

BUILD=${BUILD:-build}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipcsim-kill.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
failed=0

if [ ! -x "$BUILD/ipcsim" ]; then
	echo "check_kill.sh: $BUILD/ipcsim not built" >&2
	exit 2
fi
# A copy of its own: the processes counted are this test's, not those of
# the test groups that run the same build beside it (make test runs them
# side by side).
IPCSIM=$tmp/ipcsim
cp "$BUILD/ipcsim" "$IPCSIM" || exit 2

# Pids of live processes running this ipcsim binary (forks included).
ipcsim_procs() {
	find /proc -maxdepth 2 -name exe -lname "$IPCSIM" 2>/dev/null |
	while read -r exe; do
		pid=${exe#/proc/}
		pid=${pid%/exe}
		# a zombie waiting for its parent is not running anything
		grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null || echo "$pid"
	done
}

awk 'BEGIN {
	print "P1: q = msgget(0x4b11, IPC_CREAT | 0600) = 0"
	for (i = 0; i < 3000; i++) {
		print "P2: msgrcv(q, &m, 64, 1, 0) <unfinished ...>"
		print "P1: msgsnd(q, {1, \"x\"}, 1, 0) = 0"
		print "P2: <... msgrcv resumed> = 1 {1, \"x\"}"
	}
}' >"$tmp/long.scn"

cat /proc/sysvipc/msg /proc/sysvipc/shm /proc/sysvipc/sem >"$tmp/before" 2>/dev/null
before=$(ipcsim_procs | wc -l)

# A background job of a non-interactive shell ignores SIGINT; Ctrl-C must
# reach it as it would from a terminal.
DEFSIG=
env --default-signal=INT true 2>/dev/null && DEFSIG="env --default-signal=INT"

for sig in INT TERM KILL; do
	$DEFSIG "$IPCSIM" check "$tmp/long.scn" >"$tmp/out" 2>&1 &
	pid=$!
	# wait until the run is under way: check, coordinator, P1 and P2
	n=0
	while [ "$(ipcsim_procs | wc -l)" -lt $((before + 4)) ] && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	sleep 0.2
	running=$(ipcsim_procs | wc -l)
	kill -s "$sig" "$pid"
	wait "$pid" 2>/dev/null
	rc=$?
	if [ "$rc" -le 128 ]; then
		echo "FAIL SIG$sig: ipcsim check was not killed by it (exit $rc)"
		failed=1
		continue
	fi
	# the death signal reaches the coordinator, then its children
	n=0
	while [ "$(ipcsim_procs | wc -l)" -gt "$before" ] && [ $n -lt 50 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	left=$(ipcsim_procs | wc -l)
	if [ "$running" -lt $((before + 4)) ]; then
		echo "FAIL SIG$sig: only $running ipcsim processes were running (expected check," \
		     "coordinator, two children)"
		failed=1
	elif [ "$left" -gt "$before" ]; then
		echo "FAIL SIG$sig: $((left - before)) ipcsim processes left:"
		ipcsim_procs | while read -r p; do ps -o pid,ppid,stat,args -p "$p"; done
		failed=1
	else
		echo "ok SIG$sig during blocking: $((running - before)) processes before, none after"
	fi
done

cat /proc/sysvipc/msg /proc/sysvipc/shm /proc/sysvipc/sem >"$tmp/after" 2>/dev/null
if ! cmp -s "$tmp/before" "$tmp/after"; then
	echo "FAIL the machine's System V IPC objects changed:"
	diff "$tmp/before" "$tmp/after"
	failed=1
fi
[ "$failed" -eq 0 ]

#!/bin/sh
# limits.sh - the --max-* options of run, record and trace bound what an
# untrusted scenario can cost; each limit reached is a clear error naming
# the option, exit 2.  Also: the shm memory cap names itself.
# Uses $BUILD (default: build).  Prints `N passed, N failed`.

BUILD=${BUILD:-build}
IPCSIM=$BUILD/ipcsim
passed=0
failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipcsim-limits.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

# expect NAME STATUS PATTERN CMD...: CMD exits STATUS and stderr has PATTERN.
expect() {
	name=$1 want=$2 pattern=$3
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq "$want" ] && { [ -z "$pattern" ] || grep -q -- "$pattern" "$tmp/err"; }; then ok; else
		fail "$name: exit $rc (want $want), stderr: $(head -c 300 "$tmp/err")"
	fi
}

# 20 steps; the limit stops the 6th, at its line.
i=0
while [ $i -lt 20 ]; do echo "P$i: getpid()"; i=$((i + 1)); done >"$tmp/twenty.scn"
expect "run --max-steps" 2 "twenty.scn:6:1: error: the run reached its limit of 5 steps (--max-steps)" \
	"$IPCSIM" run --max-steps=5 "$tmp/twenty.scn"
expect "record --max-steps" 2 "limit of 5 steps" \
	"$IPCSIM" record --max-steps 5 "$tmp/twenty.scn" -o "$tmp/key.scn"
[ ! -e "$tmp/key.scn" ] && ok || fail "record --max-steps left a key"
expect "trace --max-steps" 2 "limit of 5 steps" \
	"$IPCSIM" trace "$tmp/twenty.scn" --max-steps=5 --json "$tmp/t.jsonl"
expect "run --max-steps=0 (unlimited)" 0 "" "$IPCSIM" run --max-steps=0 "$tmp/twenty.scn"
# 20 processes: the 4th process made is one too many, at line 4
expect "run --max-procs" 2 "twenty.scn:4:1: error: the run reached its limit of 3 processes (--max-procs)" \
	"$IPCSIM" run --max-procs=3 "$tmp/twenty.scn"
# forks count too
printf 'P: c1 = fork() = ?\nP: c2 = fork() = ?\nc1: getpid()\n' >"$tmp/fork.scn"
expect "fork --max-procs" 2 "fork.scn:2:1: error: the run reached its limit of 2 processes" \
	"$IPCSIM" run --max-procs=2 "$tmp/fork.scn"
# A run longer than a second stops at --max-time=1: 40,000 steps that each
# copy 1 MiB (seconds in any build, minutes under ASan), a short file.
{
	echo 'P1: id = shmget(IPC_PRIVATE, 1048576, 0600) = 0'
	echo 'P1: a = shmat(id, NULL, 0) = ?'
	awk 'BEGIN { for (i = 0; i < 40000; i++) print "P1: memread(a, 1048576)" }'
} >"$tmp/slow.scn"
expect "run --max-time" 2 "the run reached its limit of 1 seconds (--max-time)" \
	"$IPCSIM" run --max-time=1 "$tmp/slow.scn"
# Output amplification: 64 KiB written once, then read 64 times (4 MiB).
{
	echo 'P1: id = shmget(IPC_PRIVATE, 65536, 0600) = 0'
	echo 'P1: a = shmat(id, NULL, 0) = ?'
	awk 'BEGIN { x = "x"; for (i = 0; i < 12; i++) x = x x;
	             for (i = 0; i < 16; i++) printf "P1: memcpy(a + %d, \"%s\", 4096)\n", i * 4096, x }'
	i=0
	while [ $i -lt 64 ]; do echo 'P1: memread(a, 65536) = ?'; i=$((i + 1)); done
} >"$tmp/amplify.scn"
expect "run --max-output" 2 "the output limit of 1048576 bytes was reached (--max-output)" \
	"$IPCSIM" run --max-output=1M "$tmp/amplify.scn"
[ "$(wc -c <"$tmp/out")" -le 1048576 ] && ok || fail "run --max-output wrote $(wc -c <"$tmp/out") bytes"
expect "trace --json file --max-output" 2 "(--max-output)" \
	"$IPCSIM" trace "$tmp/amplify.scn" --max-output=1M --json "$tmp/amp.jsonl"
[ ! -e "$tmp/amp.jsonl" ] && [ -z "$(ls -A "$tmp" | grep '^\.amp')" ] && ok ||
	fail "trace --max-output left $(ls -a "$tmp")"
# Memory: a 300,000-line scenario needs more than 64 MiB to parse whole
# (record), but run parses it a line at a time, in a few MiB (not under
# AddressSanitizer, where the limit is not set).  Standard input is copied
# to a temporary file for run, at most --max-memory bytes of it.
awk 'BEGIN { for (i = 0; i < 300000; i++) print "P1: getpid()" }' >"$tmp/long.scn"
if ! "$IPCSIM" run --help | grep -q 'sanitized'; then
	expect "record --max-memory" 2 "out of memory" \
		"$IPCSIM" record --max-memory=64M "$tmp/long.scn" -o "$tmp/long.rec"
	expect "run --max-memory, streamed" 0 "" "$IPCSIM" run --max-memory=64M "$tmp/long.scn"
	[ "$(tail -n 1 "$tmp/out")" = "0 passed, 0 failed" ] && [ "$(wc -l <"$tmp/out")" -eq 300001 ] &&
		ok || fail "run --max-memory, streamed: $(tail -n 1 "$tmp/out")"
	# The check keeps what it parsed while it fits in 4 MiB: a limit below
	# that ends the keeping (the file is read twice), never the run.
	expect "run --max-memory=4M, kept then read twice" 0 "" \
		"$IPCSIM" run --max-memory=4M "$tmp/long.scn"
fi
expect "run - --max-memory" 2 \
	"<stdin>: error: the scenario is larger than the memory limit of 65536 bytes (--max-memory)" \
	sh -c "\"\$1\" run --max-memory=64K - <\"\$2\"" sh "$IPCSIM" "$tmp/long.scn"
expect "a bad value" 2 "--max-steps: 'abc' is not a whole number" \
	"$IPCSIM" run --max-steps=abc "$tmp/twenty.scn"
expect "a bad size" 2 "--max-output: '1X' is not a size" \
	"$IPCSIM" run --max-output=1X "$tmp/twenty.scn"
# The shm memory cap says what it is, not "the backend failed" (a gigabyte
# of pages, 262,145 steps: not under the sanitizers, whose invariant checker
# runs after every step; the cap itself is tested small in tests/unit).
# The run is mostly the kernel clearing 1.6 GB of fresh pages: with glibc's
# malloc on transparent huge pages (where the machine allows them; a
# tunable of the C library, not of ipcsim) that costs half the CPU and the
# run and its output are the same.
if ! "$IPCSIM" run --help | grep -q 'sanitized'; then
{
	echo 'limit shmmax=4294967296'
	echo 'limit shmall=4294967296'
	echo 'P1: id = shmget(IPC_PRIVATE, 2147483648, 0600) = 0'
	echo 'P1: a = shmat(id, NULL, 0) = ?'
	awk 'BEGIN { for (i = 0; i <= 262144; i++) printf "P1: store(a + %d, 1)\n", i * 4096 }'
} >"$tmp/cap.scn"
expect "shm cap" 2 "cap.scn:262149:5: error: store: the simulator's cap on shared memory was reached (1024 MiB" \
	env GLIBC_TUNABLES=glibc.malloc.hugetlb=1 "$IPCSIM" run "$tmp/cap.scn"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

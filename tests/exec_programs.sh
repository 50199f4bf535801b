#!/bin/sh
# exec_programs.sh - `ipcsim exec` against the real kernel (`make test-exec`).
#
#   BUILD=build sh tests/exec_programs.sh
#
# Needs root (the real side runs in a private IPC namespace, unshare -i;
# the kernel-free pass runs as nobody).  For every program of
# tests/programs/ that a course would assign:
#   1. its output and exit status under `ipcsim exec` are those on the real
#      kernel (the programs print their calls' results, ids and pids by
#      relation: "the last sender is the child: yes");
#   2. its --record replays through `ipcsim run` with every expectation held;
#   3. kernel-free: the same under a seccomp filter that makes every System
#      V IPC syscall fail with ENOSYS (tests/exec/no_sysv.c), as nobody;
#   and: --deterministic gives the same record three times, with two busy
#   loops competing for the CPUs; ipcmk, ipcs, ipcrm and /proc reads and
#   writes under exec see the simulated kernel; a segment's descriptor kept
#   by the library holds no memory once the segment is removed
#   (tests/exec/shm_kept.c); `ipcs` of the machine is the
#   same after; a deadlock is exit 2 naming both sleepers; half a hello
#   left on exec's socket stalls nobody; a raw syscall(), a static binary and
#   a 32-bit one (tests/exec/msg32.c; refused where the kernel runs no 32-bit code)
#   are stopped; a program forging its credentials (tests/exec/forge_creds.c)
#   gets its real ones' answers; raw calls and static binaries
#   are stopped (SIGSYS, 128+31) and said so; killing exec (INT, TERM, KILL)
#   leaves no process, socket or memfd; the --html page of the writer and
#   reader holds their calls and the segment's bytes.
# Prints one line per failure and `N passed, N failed`.

cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
IPCSIM=$PWD/$BUILD/ipcsim
passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $1"; }

if [ "$(id -u)" -ne 0 ]; then
	echo "exec_programs.sh: needs root (unshare -i for the real kernel's side)" >&2
	exit 2
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipcsim-exec-test.XXXXXX") || exit 2
chmod 755 "$tmp"
hog1= hog2=
trap 'kill $hog1 $hog2 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
bin=$tmp/bin
mkdir -p "$bin" "$tmp/t"
chmod 777 "$tmp/t"
for src in tests/programs/*.c tests/exec/no_sysv.c; do
	name=$(basename "$src" .c)
	cc -std=c11 -D_GNU_SOURCE -O2 -Wall -o "$bin/$name" "$src" || { fail "build $src"; continue; }
done
cc -std=c11 -D_GNU_SOURCE -O2 -static -o "$bin/raw_static" tests/programs/raw_syscall.c \
	2>/dev/null || rm -f "$bin/raw_static"
# the 32-bit program needs gcc-multilib (make deps): a missing one fails
cc -m32 -static -std=c11 -D_GNU_SOURCE -O2 -Wall -o "$bin/msg32" tests/exec/msg32.c ||
	fail "build tests/exec/msg32.c with -m32 -static (gcc-multilib: make deps)"
cc -std=c11 -D_GNU_SOURCE -O2 -Wall -o "$bin/shm_kept" tests/exec/shm_kept.c ||
	fail "build tests/exec/shm_kept.c"
# -rdynamic: its own geteuid() is the one the preload library calls
cc -std=c11 -D_GNU_SOURCE -O2 -Wall -rdynamic -o "$bin/forge_creds" tests/exec/forge_creds.c ||
	fail "build tests/exec/forge_creds.c"
ipcs_before=$(ipcs)

# run_sim NAME OUT [WRAPPER...]: the program under exec, output and status.
compared="msg_types msg_full race_balance server_clients sem_undo errors msg_eintr exec_spawn \
	sem_timeout vfork_child msg_big shm_fds"
for p in $compared; do
	unshare -i "$bin/$p" >"$tmp/$p.real" 2>&1
	echo "status $?" >>"$tmp/$p.real"
	TMPDIR=$tmp/t "$IPCSIM" exec --show=none --record "$tmp/$p.scn" -- "$bin/$p" \
		>"$tmp/$p.sim" 2>"$tmp/$p.report"
	echo "status $?" >>"$tmp/$p.sim"
	if cmp -s "$tmp/$p.real" "$tmp/$p.sim"; then pass; else
		fail "$p: output under exec differs from the real kernel's"
		diff "$tmp/$p.real" "$tmp/$p.sim" | sed 's/^/    /'
	fi
	if "$IPCSIM" run "$tmp/$p.scn" >"$tmp/$p.replay" 2>&1; then pass; else
		fail "$p: the record does not replay"
		grep -A1 'failed\|error' "$tmp/$p.replay" | head -6 | sed 's/^/    /'
	fi
	# kernel-free: every SysV syscall fails; errors needs root (setuid),
	# msg_big too (it raises msgmax through /proc)
	case $p in
	errors | msg_big) as="" ;;
	*) as="setpriv --reuid=65534 --regid=65534 --clear-groups" ;;
	esac
	TMPDIR=$tmp/t $as "$bin/no_sysv" "$IPCSIM" exec --show=none -- "$bin/$p" \
		>"$tmp/$p.free" 2>"$tmp/$p.free.report"
	echo "status $?" >>"$tmp/$p.free"
	if cmp -s "$tmp/$p.sim" "$tmp/$p.free"; then pass; else
		fail "$p: kernel-free run (ENOSYS for SysV${as:+, as nobody}) differs"
		diff "$tmp/$p.sim" "$tmp/$p.free" | sed 's/^/    /'
		tail -3 "$tmp/$p.free.report" | sed 's/^/    /'
	fi
done

# the writer and the reader of the lecture, with --html
TMPDIR=$tmp/t "$IPCSIM" exec --html "$tmp/wr.html" --record "$tmp/wr.scn" -- \
	sh -c "$bin/shm_writer & sleep 0.2; $bin/shm_reader; wait" >"$tmp/wr.out" 2>"$tmp/wr.report"
if [ $? -eq 0 ] && grep -q 'reader: abcdefghijklmnopqrstuvwxyz' "$tmp/wr.out" &&
   grep -q 'shm_writer: memcpy(0x[0-9a-f]*, "abcdefghijklmnopqrstuvwxyz", 32)' "$tmp/wr.scn" &&
   grep -q 'shm_reader: shmat(0, NULL, 0) = 0x' "$tmp/wr.report" &&
   grep -q 'abcdefghijklmnopqrstuvwxyz' "$tmp/wr.html" && grep -q 'shm_reader' "$tmp/wr.html"; then
	pass
else
	fail "writer and reader: output, record or page lacks the calls or the bytes"
	sed 's/^/    /' "$tmp/wr.report" | head -20
fi
if "$IPCSIM" run "$tmp/wr.scn" >/dev/null 2>&1; then pass; else fail "writer/reader record does not replay"; fi

# the segment descriptors the library keeps hold the memory of a segment
# that exists (4 MiB filled) and none once it is removed (the server
# empties the memfd)
TMPDIR=$tmp/t "$IPCSIM" exec --show=none -- "$bin/shm_kept" >"$tmp/kept.out" 2>"$tmp/kept.report"
if [ "$(cat "$tmp/kept.out")" = "held while the segment exists: 4194304
held after IPC_RMID: 0" ]; then pass; else
	fail "shm_kept: a kept descriptor holds the wrong memory:"
	sed 's/^/    /' "$tmp/kept.out" "$tmp/kept.report"
fi

# ipcmk, ipcs, ipcrm and /proc under exec: the simulated kernel's objects
TMPDIR=$tmp/t "$IPCSIM" exec --show=none --record "$tmp/tools.scn" -- sh tests/exec/ipcs_under_exec.sh \
	>"$tmp/tools.out" 2>"$tmp/tools.report"
printf '1\n2\n100\n0\n' >"$tmp/tools.want"
if cmp -s "$tmp/tools.out" "$tmp/tools.want" && grep -q 'nothing left behind' "$tmp/tools.report" &&
   grep -q '^limit msgmax=100$' "$tmp/tools.scn" && "$IPCSIM" run "$tmp/tools.scn" >/dev/null 2>&1
then pass; else
	fail "ipcs/ipcrm/proc under exec: output, report or record"
	diff "$tmp/tools.want" "$tmp/tools.out" | sed 's/^/    /'
	tail -3 "$tmp/tools.report" | sed 's/^/    /'
fi

# --deterministic: the same record on every run, also on a loaded machine
# (docs/exec.md): two busy loops compete for the CPUs meanwhile.
det_runs() {
	for i in 1 2 3; do
		TMPDIR=$tmp/t "$IPCSIM" exec --deterministic --show=none --record "$tmp/det$i.scn" -- \
			"$@" >/dev/null 2>&1
	done
	[ -s "$tmp/det1.scn" ] && cmp -s "$tmp/det1.scn" "$tmp/det2.scn" &&
	cmp -s "$tmp/det1.scn" "$tmp/det3.scn"
}
(while :; do :; done) & hog1=$!
(while :; do :; done) & hog2=$!
det_check() {
	if det_runs "$@"; then pass; else
		fail "$* --deterministic: the records of three runs differ"
		diff "$tmp/det1.scn" "$tmp/det2.scn" | head -10 | sed 's/^/    /'
	fi
}
det_check "$bin/msg_types" 5
det_check "$bin/msg_pingpong" 5
det_check sh -c "cd '$bin' && { ./msg_types 5 & ./msg_pingpong 3; wait; }"
kill $hog1 $hog2

# a deadlock: exit 2, both sleepers named
TMPDIR=$tmp/t "$IPCSIM" exec --show=none -- "$bin/deadlock" >/dev/null 2>"$tmp/dl.report"
st=$?
if [ $st -eq 2 ] && grep -q 'deadlock' "$tmp/dl.report" &&
   [ "$(grep -c 'sleeps in msgrcv' "$tmp/dl.report")" -eq 2 ]; then pass; else
	fail "deadlock: status $st (want 2), report:"
	sed 's/^/    /' "$tmp/dl.report"
fi

# half a hello written to exec's socket and left so stalls nobody: the
# program's own calls are answered (the server used to wait for the rest)
TMPDIR=$tmp/t "$IPCSIM" exec --show=none --timeout=20 -- "$bin/half_hello" >"$tmp/half.out" \
	2>"$tmp/half.report"
st=$?
if [ $st -eq 0 ] && [ "$(cat "$tmp/half.out")" = "msgget answered
msgctl = 0" ]; then pass; else
	fail "half_hello: status $st (want 0), output:"
	sed 's/^/    /' "$tmp/half.out" "$tmp/half.report"
fi

# real System V syscalls are stopped, never passed through
for p in raw_syscall raw_static; do
	[ -x "$bin/$p" ] || continue
	TMPDIR=$tmp/t "$IPCSIM" exec --show=none -- "$bin/$p" >"$tmp/$p.out" 2>"$tmp/$p.report"
	st=$?
	if [ $st -eq 159 ] && grep -q 'real System V IPC system call' "$tmp/$p.report" &&
	   ! grep -q 'answered' "$tmp/$p.out"; then pass; else
		fail "$p: status $st (want 159, SIGSYS) or not reported"
		sed 's/^/    /' "$tmp/$p.report"
	fi
done

# a 32-bit binary is stopped by the filter's i386 half (ipc(2) and the
# direct calls), or, where this kernel runs no 32-bit code, refused and said
# so (not handed to /bin/sh, as execvp would); the filter's i386 half is then
# checked by test-unit (exec_seccomp), and this says so
for how in glibc ipc direct; do
	[ -x "$bin/msg32" ] || break
	# bash, not execvp (unshare), which would hand the binary to /bin/sh
	unshare -i bash -c 'exec "$@"' _ "$bin/msg32" $how >"$tmp/m32.real" 2>&1
	real=$?
	TMPDIR=$tmp/t "$IPCSIM" exec --show=none -- "$bin/msg32" $how >"$tmp/m32.out" 2>"$tmp/m32.report"
	st=$?
	if [ $real -eq 126 ]; then
		[ $how = glibc ] && echo "exec_programs.sh: note: this kernel runs no 32-bit code:" \
			"msg32 is checked for its refusal, the i386 filter by test-unit" >&2
		if [ $st -eq 126 ] && grep -q 'cannot execute: this kernel does not run' "$tmp/m32.report" &&
		   [ ! -s "$tmp/m32.out" ]; then pass; else
			fail "msg32 $how: status $st (want 126, refused) or not reported"
			sed 's/^/    /' "$tmp/m32.report"
		fi
	elif [ $real -eq 0 ] && grep -q '^the real kernel answered [0-9]' "$tmp/m32.real"; then
		if [ $st -eq 159 ] && grep -q 'real System V IPC system call' "$tmp/m32.report" &&
		   ! grep -q 'answered' "$tmp/m32.out"; then pass; else
			fail "msg32 $how: status $st (want 159, SIGSYS) or not reported"
			sed 's/^/    /' "$tmp/m32.report"
		fi
	else
		fail "msg32 $how on the real kernel: status $real, $(cat "$tmp/m32.real")"
	fi
done

# the server believes the kernel's credentials, not the request's: a program
# claiming root after dropping to nobody gets nobody's answers, as on Linux
unshare -i "$bin/forge_creds" >"$tmp/forge.real" 2>&1
echo "status $?" >>"$tmp/forge.real"
TMPDIR=$tmp/t "$IPCSIM" exec --show=none -- "$bin/forge_creds" >"$tmp/forge.sim" 2>"$tmp/forge.report"
echo "status $?" >>"$tmp/forge.sim"
if grep -q 'EACCES' "$tmp/forge.real" && cmp -s "$tmp/forge.real" "$tmp/forge.sim"; then pass; else
	fail "forge_creds: exec differs from the real kernel (or the kernel did not refuse)"
	diff "$tmp/forge.real" "$tmp/forge.sim" | sed 's/^/    /'
fi

# killing exec leaves nothing: no process, no socket directory, no memfd
for sig in INT TERM KILL; do
	probe=$tmp/probe_$sig
	cp "$bin/msg_block" "$probe"
	TMPDIR=$tmp/t "$IPCSIM" exec --show=none -- "$probe" >/dev/null 2>&1 &
	pid=$!
	i=0
	while [ $i -lt 50 ] && [ "$(pgrep -f "$probe" | wc -l)" -lt 2 ]; do sleep 0.1; i=$((i + 1)); done
	seen=$(pgrep -f "$probe" | wc -l)
	kill -"$sig" $pid
	wait $pid 2>/dev/null
	i=0
	while [ $i -lt 30 ] && pgrep -f "$probe" >/dev/null; do sleep 0.1; i=$((i + 1)); done
	left=$(pgrep -f "$probe")
	# memfds of this test's processes (TMPDIR or the socket's name in their
	# environment), not of other runs on the machine
	memfds=$(for d in /proc/[0-9]*; do
		{ tr '\0' '\n' <"$d/environ"; } 2>/dev/null | grep -q "$tmp/t" && ls -l "$d/fd" 2>/dev/null
	done | grep -c 'memfd:ipcsim-shm')
	if [ "$seen" -ge 2 ] && [ -z "$left" ] && [ -z "$(ls -A "$tmp/t")" ] && [ "$memfds" -eq 0 ]; then
		pass
	else
		fail "kill -$sig: $seen processes seen running; left processes [$left], files [$(ls -A "$tmp/t")], $memfds memfds"
		[ -z "$left" ] || kill -KILL $left
		rm -rf "$tmp/t"/*
	fi
done

# bad options: exit 2 with the reason, nothing run
for args in "--bogus -- true" "--show=all -- true" "--limit msgfoo=1 -- true" \
	"--limit msgmax=x -- true" "--trace - -- true" "--timeout=0 -- true" "--"; do
	# shellcheck disable=SC2086
	"$IPCSIM" exec $args >"$tmp/bad.out" 2>"$tmp/bad.err"
	st=$?
	if [ $st -eq 2 ] && grep -q 'ipcsim exec: ' "$tmp/bad.err" && [ ! -s "$tmp/bad.out" ]; then pass; else
		fail "ipcsim exec $args: status $st (want 2) or no reason"
	fi
done
"$IPCSIM" exec --show=none -- sh -c 'exit 7' 2>/dev/null
st=$?
if [ $st -eq 7 ]; then pass; else fail "exit status 7 of the program came back as $st"; fi
"$IPCSIM" exec --show=none -- sh -c 'kill -TERM $$' 2>/dev/null
st=$?
if [ $st -eq 143 ]; then pass; else fail "death by SIGTERM came back as $st, want 143"; fi

if [ "$(ipcs)" = "$ipcs_before" ]; then pass; else fail "ipcs of the machine changed"; fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]

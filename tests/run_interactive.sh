#!/bin/sh
# run_interactive.sh - `ipcsim step` and `ipcsim repl` as a person uses them:
# on a terminal (a tmux pane: keys are sent, the screen is read back with
# capture-pane) and in line mode (commands piped into stdin).  Also checks
# that the terminal is given back as it was (icanon, echo) after quitting
# and after SIGTERM/SIGINT.  Uses $BUILD (default: build).
# Prints `N passed, N failed` and exits non-zero on any failure.

BUILD=${BUILD:-build}
IPCSIM=$PWD/$BUILD/ipcsim
SCN=scenarios/msgrcv_table.scn
passed=0
failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipcsim-tty.XXXXXX") || exit 2
SOCK=ipcsim-test-$$
TMUX_CMD="tmux -L $SOCK -f /dev/null"
cleanup() {
	$TMUX_CMD kill-server 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 2' INT TERM

if [ ! -x "$IPCSIM" ]; then
	echo "run_interactive.sh: $IPCSIM not built" >&2
	exit 2
fi
if ! command -v tmux >/dev/null 2>&1; then
	echo "run_interactive.sh: tmux is missing (make deps installs it)" >&2
	exit 2
fi

ok() { passed=$((passed + 1)); }
fail() {
	failed=$((failed + 1))
	echo "FAIL $1"
	[ -n "$2" ] && [ -f "$2" ] && sed 's/^/    | /' "$2" | head -60
}

# ---- tmux helpers -----------------------------------------------------------

# tmux's server exits when its last session goes; a session started while it
# is going down fails ("server exited unexpectedly").  One session that lives
# as long as the test keeps the server up between the others.
$TMUX_CMD new-session -d -s keepalive "sleep 3600" </dev/null

# start NAME COMMAND [COLS ROWS]: a pane (100x60) running COMMAND with
# HOME=$tmp, then EXITED=<status> and the terminal's icanon/echo settings.
start() {
	$TMUX_CMD new-session -d -x "${3:-100}" -y "${4:-60}" -s "$1" \
		"trap : INT; cd '$PWD' && HOME='$tmp' $2; echo EXITED=\$?; stty -a | tr ' ;' '\n\n' | grep -x -- '-\{0,1\}icanon\|-\{0,1\}echo' | tr '\n' ' '; echo; sleep 60" \
		</dev/null
}
screen() { $TMUX_CMD capture-pane -p -J -t "$1" -S - >"$tmp/screen" 2>/dev/null; }
keys() { s=$1; shift; $TMUX_CMD send-keys -t "$s" "$@"; }
# expect NAME TEST PATTERN: waits up to 10 s for a fixed string on the screen.
expect() {
	i=0
	while [ $i -lt 100 ]; do
		screen "$1"
		if grep -F -q -- "$3" "$tmp/screen"; then
			ok
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	fail "$2: '$3' not on the screen" "$tmp/screen"
	return 1
}
# The visible screen only (not the scrollback): what is shown now.
visible() { $TMUX_CMD capture-pane -p -J -t "$1" >"$tmp/visible" 2>/dev/null; }
expect_visible() {
	i=0
	while [ $i -lt 100 ]; do
		visible "$1"
		if grep -F -q -- "$3" "$tmp/visible"; then
			ok
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	fail "$2: '$3' not on the visible screen" "$tmp/visible"
	return 1
}
stop() { $TMUX_CMD kill-session -t "$1" 2>/dev/null; }
pane_child() {
	ppid=$($TMUX_CMD display-message -p -t "$1" '#{pane_pid}')
	ps -o pid= --ppid "$ppid" | head -1 | tr -d ' '
}

# ---- ipcsim step on a terminal ----------------------------------------------

start st "'$IPCSIM' step $SCN"
expect_visible st "step: first screen" "step 0 of 17, before the first step"
expect_visible st "step: first screen marks the next line" "next    7  P1: q = msgget("
keys st n
expect_visible st "step: n" "step 1 of 17, line 7"
expect_visible st "step: n shows the call's result" "P1: q = msgget(IPC_PRIVATE, IPC_CREAT|0666) = 0"
expect_visible st "step: n draws the queue" "Message queues (1)"
keys st Right
expect_visible st "step: Right" "step 2 of 17, line 8"
expect_visible st "step: Right draws the record, marked new" '~ head -> +[A 300 "first" 6 B @u0] -> NULL'
expect_visible st "step: what did not change has no mark" "  P1          1000  1000  running"
keys st Enter
expect_visible st "step: Enter" "step 3 of 17, line 9"
keys st b
expect_visible st "step: b" "step 2 of 17, line 8"
keys st Left
expect_visible st "step: Left" "step 1 of 17, line 7"
keys st j 2 1 Enter
expect_visible st "step: j 21" "step 11 of 17, line 21"
expect_visible st "step: j 21 shows the result" "P2: msgrcv(q, &m, 512, -300, 0) = 6 {mtype=100, mtext=\"fifth\"}"
expect_visible st "step: j 21 draws what is left, and what was taken" '~ head -> [C 200 "third" 6 B @u2] -> [D 400 "fourth" 7 B @u3]'
expect_visible st "step: j 21 the taken record in its place" '~     -> -[E 100 "fifth" 6 B @u4] -> NULL'
expect_visible st "step: j 21 labels are stable (D is still the fourth message)" '~      0 |..CD'
expect_visible st "step: j 21 P2 bound m" '~ P2          1001  1000  running                 m={mtype=100, mtext="fifth"}'
keys st g 1 4 Enter
expect_visible st "step: g 14 (a show line)" "step 8 of 17, line 14"
keys st '?'
expect_visible st "step: ? shows the keys" "j N, g N                 jump to line N"
keys st x
expect_visible st "step: back from help" "step 8 of 17, line 14"
keys st End
expect_visible st "step: End" "end of the scenario: 14 passed, 0 failed"
keys st n
expect_visible st "step: n at the end" "this is the last step"
keys st q
expect st "step: q exits 0" "EXITED=0"
expect st "step: q gives the terminal back" "icanon echo"
stop st

# An 80x24 terminal: the header stays in sight, and the diagram fits: no
# empty section takes a row, so the processes at its end are in sight.
start short "'$IPCSIM' step $SCN" 80 24
expect_visible short "step 80x24: started" "step 0 of 17"
keys short j 1 3 Enter
expect_visible short "step 80x24: header in sight" "step 7 of 17, line 13"
expect_visible short "step 80x24: the result" "msg_qbytes=16384"
expect_visible short "step 80x24: the processes in sight" "~ P1          1000  1000  running                 q=0 ds={...}"
expect_visible short "step 80x24: the keys in sight" "n next  b back  j jump to line"
stop short

# A busy state in 80x24: the sleepers and everything the step changed stay
# in sight; what is left out (column titles first) is said.
start busy "'$IPCSIM' step scenarios/rmid_blocked_receiver.scn" 80 24
expect_visible busy "step 80x24 busy: started" "step 0 of"
keys busy j 1 2 Enter
expect_visible busy "step 80x24 busy: the new sleeper" "+ asleep: sender (1002) msgsnd of 4 B (queue full)"
expect_visible busy "step 80x24 busy: the other sleeper" "  asleep: receiver (1001) msgrcv type 42, buffer 64 B"
expect_visible busy "step 80x24 busy: its process" "+ sender      1002  1000  blocked in msgsnd on q 0"
keys busy j 1 4 Enter
expect_visible busy "step 80x24 busy: IPC_RMID" "P1: msgctl(q, IPC_RMID, NULL) = 0"
expect_visible busy "step 80x24 busy: the removed queue, marked" "- 0x00000000      0 user     0600"
expect_visible busy "step 80x24 busy: the woken sleepers, marked" "- asleep: sender (1002) msgsnd of 4 B (queue full)"
expect_visible busy "step 80x24 busy: the processes woke" "~ receiver    1001  1000  running"
expect_visible busy "step 80x24 busy: the keys in sight" "n next  b back  j jump to line"
stop busy

# Killed while in raw mode: the terminal must still come back.
for sig in TERM INT; do
	[ $sig = TERM ] && status=143 || status=130
	start sig "'$IPCSIM' step $SCN"
	expect_visible sig "step: SIG$sig: started" "step 0 of 17"
	pid=$(pane_child sig)
	if [ -n "$pid" ]; then
		kill -s "$sig" "$pid"
		expect sig "step: SIG$sig ends it" "EXITED=$status"
		expect sig "step: SIG$sig gives the terminal back" "icanon echo"
	else
		fail "step: SIG$sig: no ipcsim process in the pane"
	fi
	stop sig
done

# A malformed scenario: FILE:LINE:COL, exit 2, nothing interactive.
printf 'P1: q = msgget(IPC_PRIVATE, 0600)\nP1: msgsnd(r, {1, "a"}, 2, 0)\n' >"$tmp/bad.scn"
start bad "'$IPCSIM' step '$tmp/bad.scn'"
expect bad "step: malformed scenario" "bad.scn:2:12: error: 'r' is used before any line binds it"
expect bad "step: malformed scenario exits 2" "EXITED=2"
stop bad

# ---- ipcsim repl on a terminal ----------------------------------------------

start re "'$IPCSIM' repl"
expect_visible re "repl: banner" ":help lists the commands"
expect_visible re "repl: prompt names the default process" "P1> "
keys re 'q = msgget(IPC_PRIVATE, 0600)' Enter
expect re "repl: result" "P1: q = msgget(IPC_PRIVATE, 0600) = 0"
expect re "repl: the changed state" "+ 0x00000000      0 user     0600      0      0  16384     0     0"
keys re 'msgsnd(q, {1, "hi"}, 3, 0' Enter
expect re "repl: a typo is an error" "<repl>:2:30: error: expected ')' to close the argument list"
keys re 'msgsnd(q, {1, "hi"}, 3, 0)' Enter
expect re "repl: the session goes on" "P1: msgsnd(q, {mtype=1, mtext=\"hi\"}, 3, 0) = 0"
expect re "repl: the record is drawn, marked new" '~ head -> +[A 1 "hi" 3 B @u0] -> NULL'
keys re 'P2: msgrcv(q, &m, 64, 0, 0)' Enter
expect re "repl: another process" "P2: msgrcv(q, &m, 64, 0, 0) = 3 {mtype=1, mtext=\"hi\"}"
expect_visible re "repl: prompt follows the last process" "P2> "
keys re ':undo' Enter
expect re "repl: :undo" "undone: P2: msgrcv(q, &m, 64, 0, 0)"
expect_visible re "repl: :undo draws what it changed" '~ head -> +[A 1 "hi" 3 B @u0] -> NULL'
# Line editing and history (libedit): Up brings back the undone line.
keys re Up Up
expect_visible re "repl: history (Up)" "P1> P2: msgrcv(q, &m, 64, 0, 0)"
keys re Enter
expect_visible re "repl: the recalled line runs" "P2: msgrcv(q, &m, 64, 0, 0) = 3 {mtype=1, mtext=\"hi\"}"
keys re 'getpid(' Left Left 'x' BSpace End ')' Enter
expect re "repl: editing keys" "P2: getpid() = 1001"
keys re ":save $tmp/session.scn" Enter
expect re "repl: :save" "saved 4 lines to $tmp/session.scn"
keys re ':show' Enter
expect re "repl: :show" "P2          1001  1000  running"
# Ctrl-C drops the line being typed; the session goes on.
keys re 'msgsnd(q, {9, "never"}, 6, 0'
expect_visible re "repl: a line being typed" 'P2> msgsnd(q, {9, "never"}, 6, 0'
keys re C-c
keys re 'P1: getpid()' Enter
expect_visible re "repl: Ctrl-C, then a new line" "P1: getpid() = 1000"
keys re ':list' Enter
expect_visible re "repl: the dropped line never ran" "   5  P1: getpid()"
keys re C-d
expect re "repl: Ctrl-D exits 0" "EXITED=0"
expect re "repl: the terminal is as before" "icanon echo"
stop re
if [ -f "$tmp/.ipcsim_history" ] && grep -q 'msgget' "$tmp/.ipcsim_history"; then ok; else
	fail "repl: history saved in ~/.ipcsim_history"; fi
if "$IPCSIM" run --no-color "$tmp/session.scn" >"$tmp/replay" 2>&1; then ok; else
	fail "repl: the saved session replays with ipcsim run (exit 0)" "$tmp/replay"; fi
if grep -q '^P2: getpid() = 1001$' "$tmp/session.scn"; then ok; else
	fail "repl: the saved session has its results filled in" "$tmp/session.scn"; fi

# A blocked process: the default moves to one that can run, and when none
# can, the prompt says so.
start bl "'$IPCSIM' repl --show=none"
expect_visible bl "repl: started" "P1> "
keys bl 'q = msgget(IPC_PRIVATE, 0600)' Enter
keys bl 'P2: msgrcv(q, &m, 64, 0, 0)' Enter
expect bl "repl: P2 blocks" "# P2 is blocked: a line without a prefix now runs as P1"
expect_visible bl "repl: the prompt moves to a process that can run" "P1> "
keys bl 'msgrcv(q, &m, 64, 0, 0)' Enter
expect bl "repl: every process blocked" "start another, as 'P3: getpid()'"
expect_visible bl "repl: the prompt says the default is blocked" "P1 (blocked)> "
keys bl 'P3: msgsnd(q, {1, "a"}, 2, 0)' Enter
expect bl "repl: a new process wakes one" "<... msgrcv resumed> = 2"
keys bl C-d
expect bl "repl: Ctrl-D exits 0" "EXITED=0"
stop bl

# ---- line mode (stdin not a terminal) ---------------------------------------

printf 'n\n\nj 17\nb\nx\nj 999\ng21\nj 18\nj 3\nq\n' | "$IPCSIM" step --no-color $SCN >"$tmp/step.out" 2>&1
rc=$?
if [ $rc -eq 0 ]; then ok; else fail "step line mode: exit $rc" "$tmp/step.out"; fi
grep -q '^ipcsim step [^ ]*: step 2 of 17, line 8$' "$tmp/step.out" && ok || fail "step line mode: n, Enter" "$tmp/step.out"
grep -q '^=>     17  P2: msgrcv' "$tmp/step.out" && ok || fail "step line mode: j 17" "$tmp/step.out"
grep -q 'step 8 of 17, line 14$' "$tmp/step.out" && ok || fail "step line mode: b" "$tmp/step.out"
grep -q "^unknown command 'x'" "$tmp/step.out" && ok || fail "step line mode: unknown command" "$tmp/step.out"
grep -q '^jump: line 999 is past the end (the scenario has 28 lines)$' "$tmp/step.out" && ok || fail "step line mode: j 999" "$tmp/step.out"
grep -q 'step 11 of 17, line 21$' "$tmp/step.out" && ok || fail "step line mode: g21" "$tmp/step.out"
# j N on a comment line runs up to the step before it, never past the line.
grep -q 'step 9 of 17, line 17$' "$tmp/step.out" && ok || fail "step line mode: j 18 (a comment)" "$tmp/step.out"
grep -q 'step 10 of 17, line 19$' "$tmp/step.out" && fail "step line mode: j 18 ran line 19" "$tmp/step.out" || ok
tail -n 40 "$tmp/step.out" | grep -q 'step 0 of 17, before the first step$' && ok || fail "step line mode: j 3 (the header comment)" "$tmp/step.out"
esc=$(printf '\033')
if grep -q "$esc" "$tmp/step.out"; then fail "step line mode: no escape sequences" "$tmp/step.out"; else ok; fi

printf 'q = msgget(IPC_PRIVATE, 0600)\nmsgsnd(q, {1, "hi"}, 3, 0\nmsgsnd(q, {1, "hi"}, 3, 0)\nP2: msgrcv(q, &m, 64, 0, 0)\nmsgrcv(q, &m, 64, 0, 0)\nP2: getpid()\n:undo\n:frob\n:save %s/piped.scn\n' "$tmp" |
	"$IPCSIM" repl --no-color >"$tmp/repl.out" 2>&1
rc=$?
if [ $rc -eq 0 ]; then ok; else fail "repl line mode: exit $rc at EOF" "$tmp/repl.out"; fi
grep -q '^<repl>:2:30: error: expected' "$tmp/repl.out" && ok || fail "repl line mode: typo" "$tmp/repl.out"
grep -q '^P1: msgsnd(q, {1, "hi"}, 3, 0$' "$tmp/repl.out" && ok || fail "repl line mode: the line under the error" "$tmp/repl.out"
grep -q '^P2: msgrcv(q, &m, 64, 0, 0) <unfinished ...>$' "$tmp/repl.out" && ok || fail "repl line mode: blocks" "$tmp/repl.out"
grep -q "^<repl>:5:1: error: P2 is blocked in msgrcv since line 4; P1 can run: 'P1: getpid()'$" "$tmp/repl.out" && ok || fail "repl line mode: runtime error, naming who can run" "$tmp/repl.out"
grep -q '^# P2 is blocked: a line without a prefix now runs as P1$' "$tmp/repl.out" && ok || fail "repl line mode: the default moves off a blocked process" "$tmp/repl.out"
grep -q '^undone: P2: msgrcv(q, &m, 64, 0, 0)$' "$tmp/repl.out" && ok || fail "repl line mode: :undo" "$tmp/repl.out"
grep -q "^<repl>: unknown command ':frob'" "$tmp/repl.out" && ok || fail "repl line mode: unknown command" "$tmp/repl.out"
if "$IPCSIM" run --no-color "$tmp/piped.scn" >"$tmp/piped.out" 2>&1; then ok; else
	fail "repl line mode: :save replays" "$tmp/piped.out"; fi
grep -q '^3 passed, 0 failed$' "$tmp/piped.out" && ok || fail "repl line mode: saved results are checked" "$tmp/piped.out"
# --show=changes draws what each line changed, not the whole state.
printf 'q = msgget(IPC_PRIVATE, 0600)\nmsgsnd(q, {1, "hi"}, 3, 0)\ngetpid()\n:show\n' |
	"$IPCSIM" repl --no-color --show=changes >"$tmp/changes.out" 2>&1
sed -n '/^P1: msgsnd/,/^P1: getpid/p' "$tmp/changes.out" >"$tmp/changes.send"
grep -q '^~ head -> +\[A 1 "hi" 3 B @u0\] -> NULL$' "$tmp/changes.send" && ok ||
	fail "repl --show=changes: the new record" "$tmp/changes.send"
grep -q '^~ 0x00000000      0 user     0600      1      3  16384  1000     0$' "$tmp/changes.send" && ok ||
	fail "repl --show=changes: the queue's changed row" "$tmp/changes.send"
grep -q 'Processes' "$tmp/changes.send" && fail "repl --show=changes: P1 did not change, yet it is drawn" "$tmp/changes.send" || ok
[ "$(sed -n '/^P1: getpid/,/^== /p' "$tmp/changes.out" | grep -c '^== ')" -eq 1 ] && ok ||
	fail "repl --show=changes: getpid changes nothing and draws nothing" "$tmp/changes.out"
grep -q '^  P1          1000  1000  running                 q=0$' "$tmp/changes.out" && ok ||
	fail "repl :show draws the whole state" "$tmp/changes.out"
if printf '' | "$IPCSIM" repl >/dev/null 2>&1; then ok; else fail "repl: empty input exits 0"; fi
"$IPCSIM" step --help | grep -q '^usage: ipcsim step FILE' && ok || fail "step --help"
"$IPCSIM" repl --help | grep -q '^usage: ipcsim repl' && ok || fail "repl --help"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/bin/sh
# grade.sh - ipcsim quiz and ipcsim grade from outside: the sample
# submissions of every exercise get exactly the scores worked out by hand
# below; the same inputs give the same bytes; Gradescope and PrairieLearn
# JSON validate against the schemas of tests/grade/ (python3-jsonschema),
# TAP passes `prove`, JUnit XML validates against tests/grade/junit.xsd
# (xmllint); a thousand generated hostile submissions are graded in one
# call without a crash (under `make asan` too); template errors are exit 2.
# Uses $BUILD (default: build).  Prints `N passed, N failed`.

BUILD=${BUILD:-build}
IPCSIM=$BUILD/ipcsim
EX=scenarios/exercises
passed=0
failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipcsim-grade.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

# score EXERCISE SAMPLE N/M: the sample's `Score:` line.
score() {
	"$IPCSIM" grade --key "$EX/$1/template.scn" "$EX/$1/samples/$2.scn" >"$tmp/out" 2>"$tmp/err"
	got=$(sed -n 's/^Score: //p' "$tmp/out")
	[ "$got" = "$3" ] && ok || fail "$1/$2: Score $got, want $3 ($(cat "$tmp/err"))"
}

# ---- the sample submissions, scored by hand ------------------------------
# msgrcv_table, seed "alice": types 100 400 300 100 200 (first..fifth),
# N = 100, L = -200.  q1 msgrcv 0 -> 6 {100, "first"}: 3 holes, 1 point
# each; q2 msgrcv 100 -> 7 {100, "fourth"}: 3; q3 msgrcv -200 -> the lowest
# type <= 200 left is 200, "fifth": 3; q4 msgrcv -200 again -> -1 ENOMSG: 1
# hole of 2 points; q5 msg_qnum 2, msg_cbytes 7 + 6 = 13: 2; q6 ipcs -q: 1.
# Out of 3 + 3 + 3 + 2 + 2 + 1 = 14.
score msgrcv_table right 14/14
# partly: q3's mtype and mtext wrong (-2), q4 EAGAIN (-2), msg_cbytes 12 (-1).
score msgrcv_table partly_right 9/14
# malformed: q1's string unterminated: q1's 3 holes lost, the rest graded.
score msgrcv_table malformed 11/14
# edited: q2's msgtyp changed from 100 to 0: q2's 3 points lost.
score msgrcv_table edited_question 11/14

# limits_blocking, seed "alice": msgmax 400, msgmnb 1200, K 7.  q1 407 bytes >
# msgmax: -1 EINVAL (1); q2 0 (1); q3 qnum 3, cbytes 3 x 400 = 1200, qbytes
# msgmnb = 1200 (3); q4 the queue is full: -1 EAGAIN (1); q5 without
# IPC_NOWAIT it sleeps (2); q6 400 {1, "a"} (3); q7 after the wake-up b, c, d:
# qnum 3, cbytes 400 + 400 + 7 = 807 (2).  13 points.
score limits_blocking right 13/13
# partly: qbytes 16384 (-1), q5 EAGAIN for a sleep (-2), q7 2 and 800 (-2).
score limits_blocking partly_right 8/13
score limits_blocking malformed 10/13          # q6's string unterminated: -3
score limits_blocking edited_question 12/13    # q4's IPC_NOWAIT made 0: -1
# permissions_errno, seed "dave": mode 0604, bob is "other": read only.
# q1 msgget(key, 0) asks nothing: 0; q2 send needs write: -1 EACCES; q3 read
# allowed, queue empty: -1 ENOMSG; q4 STAT needs read: 0; q5 EPERM; q6 after
# mode 0606: 0; q7 qnum 1, mode 0606 (2).  8 points.
score permissions_errno right 8/8
score permissions_errno partly_right 5/8        # q3, q4 EACCES, mode 0604: -3
score permissions_errno malformed 7/8           # q2 '-1 EACCES)': -1
score permissions_errno edited_question 7/8     # q6's message changed: -1
# ftok_keys, seed "alice": proj 0x7f, dev 8:7, inode 0x2a51.  q1 0x7f072a51 (2);
# q2 0; q3 -1 EEXIST; q4 -1 ENOENT; q5 ipcs -q with that key.  6 points.
score ftok_keys right 6/6
score ftok_keys partly_right 3/6                # the key's bytes swapped (-2), EEXIST as 0 (-1)
score ftok_keys malformed 5/6                   # q2 '0 0 0': -1
score ftok_keys edited_question 5/6             # q4's path changed: -1
# ipcs_ipcrm, seed "alice": key 0x1234, N 7.  q1 both queues (2), q2 only the
# private one after ipcrm -Q (1), q3 the removed id: -1 EINVAL (1).  4 points.
score ipcs_ipcrm right 4/4
score ipcs_ipcrm partly_right 3/4               # q2 an empty table: -1
score ipcs_ipcrm malformed 3/4                  # q3 '-1 EINVAL {': -1
score ipcs_ipcrm edited_question 3/4            # q3's flag changed: -1
# shm_attach, seed "alice": 5000 bytes.  q1 nattch 1, segsz 5000 (2); q2 after
# fork 2; q3 after the child's shmdt 1; q4 marked for removal, still attached:
# 0; q5 shmdt 0; q6 destroyed with the last detach: -1 EINVAL (2).  8 points.
score shm_attach right 8/8
score shm_attach partly_right 5/8               # q2 1 (-1), q6 0 (-2)
score shm_attach malformed 6/8                  # q1 '5000 ,,': -2
score shm_attach edited_question 7/8            # q3's &ds renamed: -1
# race_balance, seed "alice": 500, +10, -30.  q1 500; q2 500; q3 470; q4 the
# parent stores 500 + 10 last: 510 (2).  5 points.
score race_balance right 5/5
score race_balance partly_right 3/5             # q4 480: -2
score race_balance malformed 4/5                # q3 a control byte: -1
score race_balance edited_question 4/5          # q3 moved to the parent: -1
# sem_undo_wake, seed "alice": U 3, V 1.  q1 3; q2 exit undoes +3: 0; q3, q4
# both sleep; q5 ncnt 2; q6 +1: A (needs 2) stays, B takes it: 0 (2); q7 1.
# 8 points.
score sem_undo_wake right 8/8
score sem_undo_wake partly_right 4/8            # q2 3 (-1), q6 1 (-2), q7 0 (-1)
score sem_undo_wake malformed 7/8               # q5 '2 (': -1
score sem_undo_wake edited_question 7/8         # q1 GETVAL made GETNCNT: -1
# explain_errors, seed "alice" (explain: the kernel's reason code): bob is
# "other" without write: EACCES.mode; not owner: EPERM.owner; the key exists
# with IPC_EXCL: EEXIST.key; 100 + 1 bytes > msg_qbytes 100: EAGAIN.qbytes (2
# points); 100 bytes > maxsize 10: E2BIG.size; no type 5: ENOMSG.type; the
# queue removed: EINVAL.id.  8 points.
score explain_errors right 8/8
score explain_errors partly_right 5/8            # EAGAIN.qnum (-2), EINVAL.msgmax (-1)
score explain_errors malformed 7/8               # q2 written as a string: -1
score explain_errors edited_question 7/8         # q6's msgtyp changed: -1
# block_and_wake (write: the student's own steps, then checks/checks.scn):
# blocked P2 msgrcv (2), forbid kill signal (1), assert m.mtype == 7 (2), no
# queue left in ipcs (1): 6 points.
wscore() {
	"$IPCSIM" grade --check "$EX/block_and_wake/checks.scn" "$EX/block_and_wake/samples/$1.scn" \
		>"$tmp/out" 2>"$tmp/err"
	got=$(sed -n 's/^Score: //p' "$tmp/out")
	[ "$got" = "$2" ] && ok || fail "block_and_wake/$1: Score $got, want $2 ($(cat "$tmp/out" "$tmp/err"))"
}
wscore right 6/6
# sends before P2 receives: P2 never sleeps (-2) and the queue is left (-1)
wscore partly_right 3/6
# the send does not parse: left out, so RMID wakes P2 with EIDRM, m is never
# bound and the run stops at the assert: the assert and ipcs checks fail (-3)
wscore malformed 3/6
# wakes P2 by a signal first: forbid fails (-1), the rest holds
wscore forbidden 5/6
grep -q 'malformed.scn:4:32: error: expected' "$EX/block_and_wake/samples/malformed.scn" 2>/dev/null ||
"$IPCSIM" grade --check "$EX/block_and_wake/checks.scn" "$EX/block_and_wake/samples/malformed.scn" |
	grep -q 'malformed.scn:4:32: error: expected .). to close the argument list.*(the line is left out)' &&
	ok || fail "write: the parse error is not the feedback"
# a limit that counts steps decides the grade: the checks after the stop fail
"$IPCSIM" grade --check "$EX/block_and_wake/checks.scn" --max-steps=3 \
	"$EX/block_and_wake/samples/right.scn" >"$tmp/out" 2>&1
grep -q 'limit of 3 steps' "$tmp/out" && grep -q '^Score: 3/6' "$tmp/out" && ok ||
	fail "write: --max-steps: $(cat "$tmp/out")"
"$IPCSIM" grade --check "$EX/block_and_wake/checks.scn" "$tmp/b1.scn" >/dev/null 2>&1
[ $? -le 1 ] && ok || fail "write: a predict file as a write submission crashed"

# ---- every exercise: its samples graded, its key runs clean ----------------
for dir in "$EX"/*/; do
	name=$(basename "$dir")
	[ -f "$dir/template.scn" ] || continue
	# the sample key is the simulator's, for the samples' seed
	seed=$(sed -n '1s/.*seed="\([^"]*\)".*/\1/p' "$dir/key.scn")
	"$IPCSIM" quiz "$dir/template.scn" --seed "$seed" -o "$tmp/student.scn" --key "$tmp/key.scn" \
		2>"$tmp/err" || fail "$name: quiz: $(cat "$tmp/err")"
	cmp -s "$tmp/key.scn" "$dir/key.scn" && ok || fail "$name: key.scn is not the key of seed $seed"
	"$IPCSIM" run "$dir/key.scn" >/dev/null 2>&1 && ok || fail "$name: the key does not run clean"
	"$IPCSIM" grade --key "$dir/template.scn" "$dir/samples/right.scn" >"$tmp/out" 2>&1
	grep -q '^Score: \([0-9]*\)/\1$' "$tmp/out" && ok || fail "$name: right.scn not full marks"
	# the student's file is the variant for that seed, with its holes
	"$IPCSIM" grade --key "$dir/template.scn" "$tmp/student.scn" >"$tmp/out" 2>&1
	grep -q '^Score: 0/' "$tmp/out" && ok || fail "$name: the blank student file scores"
done

# ---- quiz: the same seed, the same bytes; another seed, another variant ------
T=$EX/msgrcv_table/template.scn
"$IPCSIM" quiz "$T" --seed bob -o "$tmp/b1.scn" --key "$tmp/k1.scn" &&
"$IPCSIM" quiz "$T" --seed=bob -o "$tmp/b2.scn" --key "$tmp/k2.scn" &&
cmp -s "$tmp/b1.scn" "$tmp/b2.scn" && cmp -s "$tmp/k1.scn" "$tmp/k2.scn" && ok ||
	fail "quiz: the same seed gave different files"
"$IPCSIM" quiz "$T" --seed carol --key "$tmp/k3.scn" >/dev/null
cmp -s "$tmp/k1.scn" "$tmp/k3.scn" && fail "quiz: seeds bob and carol gave the same key" || ok
head -1 "$tmp/b1.scn" | grep -q '^# ipcsim quiz: msgrcv_table seed="bob" template=fnv1a64:[0-9a-f]\{16\} ipcsim=' &&
	ok || fail "quiz: header $(head -1 "$tmp/b1.scn")"
head -1 "$tmp/k1.scn" | grep -q '^# ipcsim key: msgrcv_table seed="bob"' && ok || fail "quiz: key header"
grep -q 'hint:' "$tmp/b1.scn" && fail "quiz: a hint in the student's file" || ok

# ---- errors: exit 2, FILE:LINE:COL ---------------------------------------------
printf 'param X = choice(1, 2)\nP1: msgget(${Y}, 0) = ?\n' >"$tmp/bad.scn"
"$IPCSIM" quiz "$tmp/bad.scn" --seed s >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'bad.scn:2:12: error: unknown parameter' "$tmp/err" && ok ||
	fail "quiz: bad template: $(cat "$tmp/err")"
printf 'P1: q = msgget(IPC_PRIVATE, 0600) = 0\n' >"$tmp/noholes.scn"
"$IPCSIM" quiz "$tmp/noholes.scn" --seed s >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'no hole' "$tmp/err" && ok || fail "quiz: no hole accepted"
"$IPCSIM" quiz "$T" >/dev/null 2>&1; [ $? -eq 2 ] && ok || fail "quiz without --seed"
"$IPCSIM" grade "$tmp/b1.scn" >/dev/null 2>&1; [ $? -eq 2 ] && ok || fail "grade without --key"
"$IPCSIM" grade --key "$tmp/k1.scn" "$tmp/b1.scn" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'is an answer key' "$tmp/err" && ok || fail "grade --key KEYFILE: $(cat "$tmp/err")"

# ---- reports ------------------------------------------------------------------
S=$EX/msgrcv_table/samples
tail -n +2 "$S/right.scn" >"$tmp/noheader.scn"
"$IPCSIM" grade --key "$T" "$S"/*.scn "$tmp/noheader.scn" --csv "$tmp/c1.csv" \
	--junit "$tmp/j1.xml" --items "$tmp/i1.txt" >"$tmp/t1.txt" 2>&1
[ $? -eq 1 ] && ok || fail "grade: a submission without header is exit 1"
grep -q 'noheader.scn: ERROR (not graded)' "$tmp/t1.txt" && ok || fail "grade: no header not reported"
tail -1 "$tmp/t1.txt" | grep -q '^42 passed, 10 failed$' && ok || fail "grade: $(tail -1 "$tmp/t1.txt")"
"$IPCSIM" grade --key "$T" "$S"/*.scn "$tmp/noheader.scn" --csv "$tmp/c2.csv" \
	--junit "$tmp/j2.xml" --items "$tmp/i2.txt" >"$tmp/t2.txt" 2>&1
cmp -s "$tmp/t1.txt" "$tmp/t2.txt" && cmp -s "$tmp/c1.csv" "$tmp/c2.csv" &&
	cmp -s "$tmp/j1.xml" "$tmp/j2.xml" && cmp -s "$tmp/i1.txt" "$tmp/i2.txt" && ok ||
	fail "grade: two runs differ"
grep -q '^submission,seed,score,max,status,q1,q2,q3,q4,q5,q6' "$tmp/c1.csv" &&
	grep -q 'partly_right.scn,alice,9,14,graded,3,3,1,0,1,1' "$tmp/c1.csv" &&
	grep -q 'noheader.scn,,,,error' "$tmp/c1.csv" && ok || fail "csv: $(cat "$tmp/c1.csv")"
# item analysis: q3's mtype is right for 3 of 4 graded, wrong "100" once
grep -q 'q3.2 mtype       75% right (3/4)' "$tmp/i1.txt" && grep -q '1x 100$' "$tmp/i1.txt" &&
	ok || fail "items: $(cat "$tmp/i1.txt")"
if command -v xmllint >/dev/null 2>&1; then
	xmllint --noout --schema tests/grade/junit.xsd "$tmp/j1.xml" 2>"$tmp/err" && ok ||
		fail "junit: $(cat "$tmp/err")"
else
	fail "xmllint missing (make deps installs libxml2-utils)"
fi
for f in right partly_right malformed; do
	"$IPCSIM" grade --key "$T" "$S/$f.scn" --tap >"$tmp/$f.tap" \
		--gradescope "$tmp/$f.gs.json" --prairielearn "$tmp/$f.pl.json" 2>/dev/null
done
"$IPCSIM" grade --key "$T" "$tmp/noheader.scn" --gradescope "$tmp/nh.gs.json" \
	--prairielearn "$tmp/nh.pl.json" >/dev/null 2>&1
if python3 -c 'import jsonschema' 2>/dev/null; then
	python3 - "$tmp" <<'PY' && ok || fail "JSON schemas"
import json, sys, jsonschema
tmp = sys.argv[1]
gs = json.load(open('tests/grade/gradescope.schema.json'))
pl = json.load(open('tests/grade/prairielearn.schema.json'))
for f in ['right', 'partly_right', 'malformed', 'nh']:
    jsonschema.validate(json.load(open(f'{tmp}/{f}.gs.json')), gs)
    jsonschema.validate(json.load(open(f'{tmp}/{f}.pl.json')), pl)
r = json.load(open(f'{tmp}/partly_right.gs.json'))
assert r['score'] == 9 and sum(t['max_score'] for t in r['tests']) == 14, r['score']
p = json.load(open(f'{tmp}/partly_right.pl.json'))
assert abs(p['score'] - 9 / 14) < 1e-9 and p['gradable'] is True
assert json.load(open(f'{tmp}/nh.pl.json'))['gradable'] is False
# a schema that accepts anything proves nothing: a wrong document must fail
for bad, schema in [({'score': 'x'}, gs), ({'gradable': True}, pl), ({'gradable': True, 'score': 2}, pl)]:
    try:
        jsonschema.validate(bad, schema)
    except jsonschema.ValidationError:
        continue
    raise SystemExit(f'schema accepted {bad}')
PY
else
	fail "python3-jsonschema missing (make deps installs it)"
fi
if command -v prove >/dev/null 2>&1; then
	prove --exec cat "$tmp/right.tap" >"$tmp/out" 2>&1 && ok || fail "prove right.tap: $(cat "$tmp/out")"
	prove --exec cat "$tmp/partly_right.tap" >"$tmp/out" 2>&1 && fail "prove passed partly_right" ||
		{ grep -q 'Failed 4/13' "$tmp/out" && ok || fail "prove partly_right: $(cat "$tmp/out")"; }
else
	fail "prove missing (perl)"
fi

# ---- reason codes: every code the kernel records is documented ------------------
for code in $(grep -ohE '"(E[A-Z0-9]+|SLEEP|OK)\.[a-z.]+"' sim/kernel/*.c | tr -d '"' | sort -u); do
	grep -q "\`$code\`" docs/reason-codes.md && ok || fail "reason code $code not in docs/reason-codes.md"
done
"$IPCSIM" run --explain scenarios/permissions_two_users.scn >"$tmp/out" 2>&1
grep -q '^    # why (EACCES.mode): mode 0640: uid 1002 (gid 200) is neither the owner (uid 1001) nor in its group (gid 100), so the other bits apply: other has --- and the call needs -w-' "$tmp/out" &&
	grep -q '^    # why (EPERM.owner): uid 1002 is neither the owner (uid 1001) nor the creator (uid 1001)' "$tmp/out" &&
	ok || fail "run --explain: $(grep why "$tmp/out" | head -3)"
# the lecture's table: after 300 "first" and 100 "second" are taken, <= 300
# leaves 200 "third" and 100 "fifth" eligible: 100 wins
"$IPCSIM" run --explain scenarios/msgrcv_table.scn >"$tmp/out" 2>&1
grep -q 'OK.msgrcv.lowest): msgtyp -300 takes the first message of the lowest type <= 300: eligible types 200, 100; the lowest is 100, the first of them is "fifth"' "$tmp/out" &&
	ok || fail "run --explain msgrcv: $(grep lowest "$tmp/out" | head -2)"
"$IPCSIM" run --explain scenarios/limits_msgmax_msgmnb.scn >"$tmp/out" 2>&1
grep -q '(EAGAIN.qbytes): 16,384 + 1 bytes > msg_qbytes 16,384$' "$tmp/out" && ok ||
	fail "run --explain qbytes: $(grep qbytes "$tmp/out")"
"$IPCSIM" run scenarios/limits_msgmax_msgmnb.scn | grep -q '# why' && fail "why without --explain" || ok
"$IPCSIM" grade --key "$EX/msgrcv_table/template.scn" "$EX/msgrcv_table/samples/partly_right.scn" >"$tmp/out"
grep -q '^q4.1 result: FAIL (0/2): wrote -1 EAGAIN: expected -1 ENOMSG; why: ENOMSG.type: ' "$tmp/out" && ok ||
	fail "grade: no reason in the feedback: $(grep q4.1 "$tmp/out")"

# ---- a thousand generated submissions, one call, no crash ------------------------
mkdir "$tmp/many"
python3 tests/grade/hostile.py "$tmp/many" 1000 7
"$IPCSIM" grade --key "$T" "$tmp/many"/*.scn --csv "$tmp/many.csv" >"$tmp/many.txt" 2>"$tmp/err"
rc=$?
[ $rc -le 1 ] && ! grep -q -e Sanitizer -e 'runtime error' "$tmp/err" && ok ||
	fail "1000 hostile submissions: exit $rc: $(head -c 800 "$tmp/err")"
n=$(grep -c -e '^Score: ' -e ': ERROR (not graded)' "$tmp/many.txt")
[ "$n" -eq 1000 ] && ok || fail "1000 hostile submissions: $n graded or refused"
# 250 of them as write submissions: each runs, in a process of its own (a
# fork under ASan costs a tenth of a second: not all thousand)
"$IPCSIM" grade --check "$EX/block_and_wake/checks.scn" --max-steps=100000 "$tmp/many"/s0[01]*.scn \
	"$tmp/many"/s02[0-4]*.scn >"$tmp/many.txt" 2>"$tmp/err"
rc=$?
n=$(grep -c -e '^Score: ' -e ': ERROR (not graded)' "$tmp/many.txt")
[ $rc -le 1 ] && [ "$n" -eq 250 ] && ! grep -q -e Sanitizer -e 'runtime error' "$tmp/err" && ok ||
	fail "250 hostile write submissions: exit $rc, $n graded: $(head -c 800 "$tmp/err")"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

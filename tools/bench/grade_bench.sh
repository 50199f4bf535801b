#!/bin/sh
# grade_bench.sh - `ipcsim grade` of 1,000 submissions of a 30-line exercise
# (tools/bench/grade30.scn), each of its own seed, in one call: the issue's
# budget is 10 s on a 2-core machine.  Against a named baseline in the same
# run: `ipcsim run` of the 1,000 keys in one call (simulating each variant
# once, which grading must do at least).  Best of 3 rounds, interleaved.
# Part of `make bench`; uses $BUILD (default: build) and python3.
BUILD=${BUILD:-build}
IPCSIM=$BUILD/ipcsim
T=tools/bench/grade30.scn
N=${GRADE_BENCH_N:-1000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipcsim-gbench.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir "$tmp/sub" "$tmp/key"
i=0
while [ $i -lt "$N" ]; do
	"$IPCSIM" quiz "$T" --seed "student$i" -o "$tmp/sub/s$i.scn" --key "$tmp/key/k$i.scn" || exit 2
	i=$((i + 1))
done
# fill about two thirds of the holes with the key's answers, the rest wrong
python3 - "$tmp" "$N" <<'PY'
import sys, re
tmp, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    sub = open(f'{tmp}/sub/s{i}.scn').read().split('\n')
    key = [l for l in open(f'{tmp}/key/k{i}.scn').read().split('\n') if not l.startswith('#')]
    body = [l for l in sub if not l.startswith('#')]
    out = [l for l in sub if l.startswith('#')]
    k = 0
    for line in body:
        if line.startswith('> ?'):
            while k < len(key) and key[k].startswith('>'):
                out.append(key[k]); k += 1
            continue
        stem = line.split(' = ')[0]
        while k < len(key) and not key[k].startswith(stem):
            k += 1
        if '?' in line and k < len(key):
            out.append(key[k] if (i + k) % 3 else line.replace('?', '7'))
        else:
            out.append(line)
        k += 1
    open(f'{tmp}/sub/s{i}.scn', 'w').write('\n'.join(out) + '\n')
PY
best() { sort -n | head -1; }
for round in 1 2 3; do
	s=$(date +%s%N); "$IPCSIM" grade --key "$T" "$tmp"/sub/*.scn >"$tmp/grade.txt"; e=$(date +%s%N)
	echo $(( (e - s) / 1000000 )) >>"$tmp/g"
	s=$(date +%s%N); "$IPCSIM" run "$tmp"/key/*.scn >/dev/null 2>&1; e=$(date +%s%N)
	echo $(( (e - s) / 1000000 )) >>"$tmp/r"
done
g=$(best <"$tmp/g"); r=$(best <"$tmp/r")
graded=$(grep -c '^Score: ' "$tmp/grade.txt")
echo "grade: $graded submissions of a 30-line exercise, one seed each: $g ms (budget 10000 ms);" \
	"baseline ipcsim run of their $N keys: $r ms; ratio $(awk "BEGIN { printf \"%.2f\", $g / ($r > 0 ? $r : 1) }")"
tail -1 "$tmp/grade.txt"
[ "$graded" -eq "$N" ] && [ "$g" -lt 10000 ]

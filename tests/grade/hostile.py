#!/usr/bin/env python3
"""hostile.py DIR N SEED - N submissions of the msgrcv-table exercise for
seed "alice" in DIR: random mixes of right and wrong answers, malformed and
hostile lines (binary bytes, NULs, 200 KB lines, deep nesting, huge
integers, lines deleted, added and swapped, no header).  Deterministic
for a given SEED (Python's own random, seeded)."""
import os, random, sys

out, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
here = os.path.dirname(os.path.abspath(__file__))
right = open(os.path.join(here, '../../scenarios/exercises/msgrcv_table/samples/right.scn'),
             'rb').read().split(b'\n')
rnd = random.Random(seed)
junk = [
    b'= 6 {100, "first}', b'= {', b'= ' + b'{' * 5000 + b'}' * 5000, b'= 99999999999999999999999',
    b'= -1 ENOMSG (', b'\x00\x01\xff\xfe', b'= 6 {100, "' + b'A' * 200000 + b'"}', b'= ?',
    b'= 6 {mtype=1, mtext="x", mtype=2}', b'= \xe2\x80\x9cfifth\xe2\x80\x9d', b'<unfinished ...>',
    b'--- SIGSEGV ---', b'= 7 [1, 2, 3]', b'= 0x7fffffffffffffff {?, ?}', b';;;;', b'= 6 {100,,}',
]
for i in range(n):
    lines = list(right)
    for k in range(len(lines)):
        r = rnd.random()
        line = lines[k]
        if r < 0.08 and b') =' in line:
            lines[k] = line[:line.index(b') =') + 2] + rnd.choice(junk)
        elif r < 0.14 and b') =' in line:
            lines[k] = line.replace(b'100', str(rnd.randint(-5, 500)).encode(), 1)
        elif r < 0.17:
            lines[k] = bytes(rnd.randrange(256) for _ in range(rnd.randint(0, 80)))
        elif r < 0.19:
            lines[k] = b''
        elif r < 0.21:
            lines.insert(k, b'> ' + rnd.choice(junk))
    if rnd.random() < 0.05:
        lines = lines[1:]                       # no header: not graded
    if rnd.random() < 0.05:
        rnd.shuffle(lines)
    if rnd.random() < 0.02:
        lines = lines * 200                     # long, repeated
    open(os.path.join(out, 's%04d.scn' % i), 'wb').write(b'\n'.join(lines))

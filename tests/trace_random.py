#!/usr/bin/env python3
"""trace_random.py - random scenarios for the trace's patch test.

Usage: trace_random.py SEED COUNT DIR

Writes COUNT scenarios DIR/random_SEED_N.scn: message queues, shared memory
and semaphore sets made, used and removed by up to eight processes in a
random order, with blocking sends and receives (a process that may be
asleep is not used again, so the run never stops on it), fork, exit, kill,
limits changed on the way.  No expectations: the point is the states, not
the results (tests/run_traces.sh traces each and checks the patches with
tests/trace_replay.py).
"""
import random
import sys


def scenario(rng):
    procs = ['P%d' % i for i in range(1, 9)]
    live = list(procs)          # may still issue calls
    queues, segs, sets, atts = [], [], [], []
    out = []
    seen = []                   # processes that have made a call
    n = 0

    def var(prefix):
        nonlocal n
        n += 1
        return '%s%d' % (prefix, n)

    for _ in range(rng.randint(20, 90)):
        if not live:
            break
        p = rng.choice(live)
        r = rng.random()
        if r < 0.10 or not queues:
            q = var('q')
            out.append('%s: %s = msgget(IPC_PRIVATE, 0600)' % (p, q))
            queues.append(q)
        elif r < 0.38:
            text = rng.choice(['a', 'hello', 'x' * rng.randint(1, 70), 'two\\nlines', '<b>'])
            flag = 'IPC_NOWAIT' if rng.random() < 0.85 else '0'
            out.append('%s: msgsnd(%s, {%d, "%s"}, %d, %s)' % (
                p, rng.choice(queues), rng.randint(1, 4), text, rng.randint(0, 80), flag))
            if flag == '0':
                live.remove(p)
        elif r < 0.60:
            flag = 'IPC_NOWAIT' if rng.random() < 0.7 else '0'
            out.append('%s: msgrcv(%s, &m, %d, %d, %s)' % (
                p, rng.choice(queues), rng.choice([64, 100, 3]), rng.randint(-3, 4), flag))
            if flag == '0':
                live.remove(p)
        elif r < 0.64:
            q = rng.choice(queues)
            out.append('%s: msgctl(%s, IPC_RMID, NULL)' % (p, q))
            queues.remove(q)
        elif r < 0.70:
            s = var('s')
            out.append('%s: %s = shmget(IPC_PRIVATE, %d, 0600)' % (p, s, rng.choice([64, 4096])))
            segs.append(s)
        elif r < 0.76 and segs:
            a = var('a')
            out.append('%s: %s = shmat(%s, NULL, 0)' % (p, a, rng.choice(segs)))
            atts.append((p, a))
        elif r < 0.82 and any(ap == p for ap, _ in atts):
            a = rng.choice([a for ap, a in atts if ap == p])
            if rng.random() < 0.8:
                out.append('%s: store(%s, %d)' % (p, a, rng.randint(0, 300)))
            else:
                out.append('%s: shmdt(%s)' % (p, a))
                atts.remove((p, a))
        elif r < 0.85 and segs:
            s = rng.choice(segs)
            out.append('%s: shmctl(%s, IPC_RMID, NULL)' % (p, s))
            segs.remove(s)
        elif r < 0.88:
            s = var('S')
            out.append('%s: %s = semget(IPC_PRIVATE, 2, 0600)' % (p, s))
            sets.append(s)
        elif r < 0.93 and sets:
            op = rng.choice(['+1', '-1', '0', '+2'])
            flg = rng.choice(['IPC_NOWAIT', 'SEM_UNDO', 'IPC_NOWAIT|SEM_UNDO', '0'])
            out.append('%s: semop(%s, [{%d, %s, %s}], 1)' % (
                p, rng.choice(sets), rng.randint(0, 1), op, flg))
            if 'IPC_NOWAIT' not in flg:
                live.remove(p)
        elif r < 0.95:
            out.append('limit msgmnb=%d' % rng.choice([40, 200, 16384]))
        elif r < 0.97 and len(seen) > 1:
            target = rng.choice([t for t in seen if t != p])
            out.append('%s: kill(%s, SIGTERM)' % (p, target))
            if target in live:
                live.remove(target)
        else:
            out.append('%s: exit(%d)' % (p, rng.randint(0, 3)))
            live.remove(p)
            atts = [(ap, a) for ap, a in atts if ap != p]
        if out and out[-1].startswith(p + ':') and p not in seen:
            seen.append(p)
    return '\n'.join(out) + '\n'


def main():
    seed, count, outdir = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    for i in range(count):
        rng = random.Random(seed * 100003 + i)
        with open('%s/random_%d_%d.scn' % (outdir, seed, i), 'w', encoding='utf-8') as f:
            f.write(scenario(rng))


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""trace_replay.py - the patches of a version 2 trace are right.

Usage: trace_replay.py TRACE FULL [TRACE FULL ...]

TRACE is a trace with keyframes every K steps, FULL the same scenario traced
with `--keyframe 1` (the whole state on every step line, as version 1 wrote
it).  The state and the patches name their fields in one place
(sim/trace/trace_state.c), so what this proves is the patches' own rules:
what differs, what is left out, "at", "del", the fields that follow from
the records; the goldens hold the states' bytes.  Applying TRACE's patches from
the header's state, and again from each keyframe, must give at every step
exactly FULL's state; TRACE's keyframes must be those states too, and the
two traces must agree on everything but the states.  The rules applied are
docs/trace-format.md's ("Applying a patch"), written here independently of
the viewer's (web/trace_state.js).  Prints nothing and exits 0 when all
holds; else, for each pair where it does not, a line with the first
difference (starting with TRACE's name), and exits 1.  Many pairs are
checked in one process because tests/run_traces.sh has some 130 of them
and a Python start costs more than most of the checks.
"""
import json
import sys


def load(path):
    with open(path, encoding='utf-8') as f:
        return [json.loads(line) for line in f if line.strip()]


class State:
    """A state as objects by id, rebuilt into version 1's shape on demand."""

    LISTS = {'q': 'msg', 's': 'shm', 'S': 'sem', 'p': 'procs'}

    def __init__(self, full):
        self.clock = full['clock']
        self.limits = dict(full['limits'])
        self.lists = {name: [] for name in self.LISTS.values()}
        self.records = {}  # queue id -> [record], in seq order
        for q in full['msg']:
            q = dict(q)
            self.records[q['id']] = [dict(r) for r in q.pop('records')]
            self.lists['msg'].append(q)
        for name in ('shm', 'sem', 'procs'):
            self.lists[name] = [dict(o) for o in full[name]]
        self.area = {k: v for k, v in full['area'].items() if k != 'extents'}

    @staticmethod
    def seq(rid):
        return int(rid.split('.')[1])

    @staticmethod
    def queue_of(rid):
        return 'q' + rid[1:].split('.')[0]

    def find(self, oid):
        for o in self.lists[self.LISTS[oid[0]]]:
            if o['id'] == oid:
                return o
        return None

    def apply(self, patch):
        if 'clock' in patch:
            self.clock = patch['clock']
        if 'limits' in patch:
            self.limits = dict(patch['limits'])
        for oid in patch.get('del', []):
            if oid[0] == 'm':
                recs = self.records.get(self.queue_of(oid), [])
                self.records[self.queue_of(oid)] = [r for r in recs if r['id'] != oid]
            else:
                lst = self.lists[self.LISTS[oid[0]]]
                assert any(o['id'] == oid for o in lst), 'del of an unknown ' + oid
                lst[:] = [o for o in lst if o['id'] != oid]
                if oid[0] == 'q':
                    self.records.pop(oid, None)
        for o in patch.get('set', []):
            o = dict(o)
            oid = o['id']
            at = o.pop('at', None)
            if oid == 'area':
                self.area.update({k: v for k, v in o.items() if k != 'id'})
            elif oid[0] == 'm':
                recs = self.records.setdefault(self.queue_of(oid), [])
                assert all(r['id'] != oid for r in recs), 'a record set twice: ' + oid
                recs.append(o)
                recs.sort(key=lambda r: self.seq(r['id']))
            else:
                old = self.find(oid)
                if old is not None:
                    assert at is None, 'an "at" on a known object: ' + oid
                    old.update(o)
                else:
                    assert at is not None, 'a new object without "at": ' + oid
                    self.lists[self.LISTS[oid[0]]].insert(at, o)
                    if oid[0] == 'q':
                        self.records.setdefault(oid, [])

    def extents(self):
        used = []
        for q in self.lists['msg']:
            for r in self.records.get(q['id'], []):
                if r['unit'] is not None:
                    used.append({'first': r['unit'], 'nunits': r['nunits'], 'used': True,
                                 'queue': q['id'], 'mtype': r['mtype'], 'record': r['id']})
        used.sort(key=lambda e: e['first'])
        out, at = [], 0
        for e in used:
            if e['first'] > at:
                out.append({'first': at, 'nunits': e['first'] - at, 'used': False})
            out.append(e)
            at = e['first'] + e['nunits']
        if at < self.area['nunits']:
            out.append({'first': at, 'nunits': self.area['nunits'] - at, 'used': False})
        return out

    def full(self):
        msg = []
        for q in self.lists['msg']:
            q = dict(q)
            q['records'] = [dict(r) for r in self.records.get(q['id'], [])]
            q['qnum'] = len(q['records'])
            q['cbytes'] = sum(r['size'] for r in q['records'])
            msg.append(q)
        area = dict(self.area)
        area.pop('id', None)
        area['extents'] = self.extents()
        area['used'] = sum(e['nunits'] for e in area['extents'] if e['used'])
        return {'clock': self.clock, 'limits': dict(self.limits), 'msg': msg, 'area': area,
                'shm': [dict(o) for o in self.lists['shm']],
                'sem': [dict(o) for o in self.lists['sem']],
                'procs': [dict(o) for o in self.lists['procs']]}


def first_difference(a, b, path='state'):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return '%s.%s: %s vs %s' % (path, k, a.get(k, '(absent)'), b.get(k, '(absent)'))
            d = first_difference(a[k], b[k], path + '.' + k)
            if d:
                return d
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return '%s: %d items vs %d' % (path, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, '%s[%d]' % (path, i))
            if d:
                return d
        return None
    return None if a == b and type(a) == type(b) else '%s: %r vs %r' % (path, a, b)


def check(name, full_path):
    trace, full = load(name), load(full_path)
    head, fhead = trace[0], full[0]
    if head.get('version') != 2 or head.get('format') != 'ipcsim-trace':
        return '%s: not a version 2 trace' % name
    k = head['keyframe_every']
    if fhead['keyframe_every'] != 1 or len(trace) != len(full):
        return '%s: %d lines, the full trace %d' % (name, len(trace), len(full))
    if trace[-1] != full[-1] or head != dict(fhead, keyframe_every=k):
        return '%s: the header or end lines differ' % name
    from_start = State(head['state'])
    from_key = None
    for line, want in zip(trace[1:-1], full[1:-1]):
        n = line['step']
        if {a: b for a, b in line.items() if a != 'state'} != \
           {a: b for a, b in want.items() if a != 'state'}:
            return '%s: step %d differs from the full trace apart from its state' % (name, n)
        for st in (from_start, from_key):
            if st is not None:
                st.apply(line.get('patch', {}))
        for label, st in (('from the header', from_start), ('from a keyframe', from_key)):
            if st is None:
                continue
            d = first_difference(st.full(), want['state'])
            if d:
                return '%s: step %d (line %d), patches applied %s: %s' % (
                    name, n, line['line'], label, d)
        if ('state' in line) != (n % k == 0):
            return '%s: step %d: a keyframe every %d steps' % (name, n, k)
        if 'state' in line:
            if line['state'] != want['state']:
                return '%s: the keyframe at step %d is not the state' % (name, n)
            from_key = State(line['state'])
    return None


def main(args):
    if len(args) == 0 or len(args) % 2 != 0:
        print('usage: trace_replay.py TRACE FULL [TRACE FULL ...]', file=sys.stderr)
        return 2
    status = 0
    for name, full_path in zip(args[0::2], args[1::2]):
        try:
            err = check(name, full_path)
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError) as e:
            err = '%s: cannot be read against %s: %s' % (name, full_path, e)
        if err:
            print(err)
            status = 1
    return status


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))

/*
 * web/trace_state.js - reads a version 2 trace (docs/trace-format.md) back
 * into what the page shows: every step in full (the fields a step line
 * leaves out put back), the state after each step, and what each step
 * changed.
 *
 * A state is rebuilt from the one before by its step's patch ("Applying a
 * patch" in docs/trace-format.md): "del" first, then "set" in order; a
 * queue's records are its live records in seq order, its qnum and cbytes
 * and the data area's used units and extents follow from the records.  A
 * keyframe (a step line with "state") is taken as it is, so a reader can
 * start at any keyframe.  States share the objects a step did not touch:
 * each is a new set of lists, never a copy of every object.
 *
 * "changes" (what a step did: created, removed, enqueued...) are found by
 * comparing the states before and after by id, as version 1 wrote them.
 */
'use strict';

const IpcsimState = (function () {
  const LISTS = { q: 'msg', s: 'shm', S: 'sem', p: 'procs' };

  const queueOf = rid => 'q' + rid.slice(1).split('.')[0];
  const seqOf = rid => Number(rid.split('.')[1]);

  function without(o, keys) {
    const out = {};
    for (const k in o) if (!keys.includes(k)) out[k] = o[k];
    return out;
  }

  /* qnum and cbytes of a queue, the used units and extents of the area:
   * what follows from the records. */
  function derive(st) {
    const used = [];
    st.msg = st.msg.map(q => {
      const cbytes = q.records.reduce((n, r) => n + r.size, 0);
      for (const r of q.records)
        if (r.unit !== null)
          used.push({ first: r.unit, nunits: r.nunits, used: true, queue: q.id, mtype: r.mtype, record: r.id });
      return q.qnum === q.records.length && q.cbytes === cbytes ? q
        : Object.assign({}, q, { qnum: q.records.length, cbytes });
    });
    used.sort((a, b) => a.first - b.first);
    const extents = [];
    let at = 0;
    for (const e of used) {
      if (e.first > at) extents.push({ first: at, nunits: e.first - at, used: false });
      extents.push(e);
      at = e.first + e.nunits;
    }
    if (at < st.area.nunits) extents.push({ first: at, nunits: st.area.nunits - at, used: false });
    st.area = Object.assign({}, st.area, { used: used.reduce((n, e) => n + e.nunits, 0), extents });
  }

  function apply(prev, patch) {
    if (!patch) return prev;
    const st = {
      clock: 'clock' in patch ? patch.clock : prev.clock,
      limits: patch.limits || prev.limits,
      msg: prev.msg.slice(), area: prev.area, shm: prev.shm.slice(), sem: prev.sem.slice(),
      procs: prev.procs.slice(),
    };
    const queue = qid => st.msg.findIndex(q => q.id === qid);
    for (const id of patch.del || []) {
      if (id[0] === 'm') {
        const i = queue(queueOf(id));
        if (i >= 0) st.msg[i] = Object.assign({}, st.msg[i], { records: st.msg[i].records.filter(r => r.id !== id) });
      } else {
        const list = LISTS[id[0]];
        st[list] = st[list].filter(o => o.id !== id);
      }
    }
    for (const o of patch.set || []) {
      const fields = without(o, ['id', 'at']);
      if (o.id === 'area') {
        st.area = Object.assign({}, st.area, fields);
      } else if (o.id[0] === 'm') {
        const i = queue(queueOf(o.id));
        const records = st.msg[i].records.concat([without(o, [])]);
        records.sort((a, b) => seqOf(a.id) - seqOf(b.id));
        st.msg[i] = Object.assign({}, st.msg[i], { records });
      } else {
        const list = st[LISTS[o.id[0]]];
        const i = list.findIndex(x => x.id === o.id);
        if (i >= 0) list[i] = Object.assign({}, list[i], fields);
        else list.splice(o.at, 0, Object.assign({ id: o.id }, fields, o.id[0] === 'q' ? { records: [] } : {}));
      }
    }
    derive(st);
    return st;
  }

  /* ---- changes, as version 1 wrote them --------------------------------- */

  function same(a, b) {
    if (a === b) return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    const ka = Object.keys(a), kb = Object.keys(b);
    return ka.length === kb.length && ka.every(k => k in b && same(a[k], b[k]));
  }

  const byId = list => new Map(list.map(o => [o.id, o]));

  function records(st) {
    const m = new Map();
    for (const q of st.msg) for (const r of q.records) m.set(r.id, Object.assign({}, r, { queue: q.id }));
    return m;
  }

  function attachments(st) {
    const m = new Map();
    for (const g of st.shm)
      for (const a of g.attachments || []) m.set(g.id + '|' + a.pid + '|' + a.addr, { segment: g.id, pid: a.pid, addr: a.addr });
    return m;
  }

  function changes(prev, next) {
    const c = { created: [], removed: [], changed: [], enqueued: [], dequeued: [], units_allocated: [],
      units_freed: [], attached: [], detached: [], sem_values: [] };
    for (const list of ['msg', 'shm', 'sem', 'procs']) {
      const before = byId(prev[list]), after = byId(next[list]);
      for (const o of next[list]) {
        if (!before.has(o.id)) c.created.push(o.id);
        else if (!same(o, before.get(o.id))) c.changed.push(o.id);
      }
      for (const o of prev[list]) if (!after.has(o.id)) c.removed.push(o.id);
    }
    const rb = records(prev), ra = records(next);
    const units = r => ({ first: r.unit, nunits: r.nunits, record: r.id });
    for (const [id, r] of ra) if (!rb.has(id)) {
      c.enqueued.push(r);
      if (r.unit !== null) c.units_allocated.push(units(r));
    }
    for (const [id, r] of rb) if (!ra.has(id)) {
      c.dequeued.push(r);
      if (r.unit !== null) c.units_freed.push(units(r));
    }
    const ab = attachments(prev), aa = attachments(next);
    for (const [k, a] of aa) if (!ab.has(k)) c.attached.push(a);
    for (const [k, a] of ab) if (!aa.has(k)) c.detached.push(a);
    const sets = byId(prev.sem);
    for (const g of next.sem) {
      const old = sets.get(g.id);
      g.sems.forEach((v, num) => {
        const was = old && num < old.sems.length ? old.sems[num].value : null;
        if (was !== v.value) c.sem_values.push({ set: g.id, num, from: was, to: v.value });
      });
    }
    return c;
  }

  /* ---- a step in full ------------------------------------------------------ */

  function fullStep(s, source) {
    const name = s.name === undefined ? null : s.name;
    const call = s.call === undefined ? null : s.call;
    const args = s.args || [];
    const bind = s.bind === undefined ? null : s.bind;
    const r = s.result;
    return Object.assign({}, s, {
      text: s.text !== undefined ? s.text : source[s.line - 1],
      kind: s.kind || 'call',
      proc: s.pid ? 'p' + s.pid : null, name, pid: s.pid || null, call, bind, args,
      resolved: s.resolved !== undefined ? s.resolved
        : call !== null ? name + ': ' + (bind !== null ? bind + ' = ' : '') + call + '(' + args.join(', ') + ')' : null,
      result: r ? { ret: r.ret === undefined ? null : r.ret, errno: r.errno || null, blocked: !!r.blocked,
        text: r.text, msg: r.msg || null, reason: r.reason || null } : null,
      expect: s.expect || 'none',
      output: s.output || null,
      events: (s.events || []).map(e => Object.assign({ name: null, call: null, text: null }, e,
        { proc: 'p' + e.pid }, e.kind === 'woken' ? { errno: e.errno || null, msg: e.msg || null } : {})),
    });
  }

  /* The masked source lines ([n, tail] or null) as whole lines. */
  function masked(header) {
    return (header.source_masked || []).map((m, i) =>
      m === null ? null : Array.from(header.source[i]).slice(0, m[0]).join('') + m[1]);
  }

  /* The trace's lines (JSON text) as { header, steps, end, states }:
   * states[0] the header's, states[n] the one after steps[n - 1]; each
   * step in full, with its state and its changes. */
  function read(text) {
    const objs = text.split('\n').filter(l => l.trim() !== '').map(l => JSON.parse(l));
    const header = objs.find(o => o.type === 'header');
    const end = objs.find(o => o.type === 'end') || null;
    if (!header || header.format !== 'ipcsim-trace' || header.version !== 2)
      throw new Error('not an ipcsim trace of version 2');
    header.source_masked = masked(header);
    const states = [header.state];
    const steps = [];
    for (const o of objs) {
      if (o.type !== 'step') continue;
      const before = states[states.length - 1];
      const after = o.state || apply(before, o.patch);
      const s = fullStep(o, header.source);
      s.state = after;
      s.changes = changes(before, after);
      delete s.patch;
      steps.push(s);
      states.push(after);
    }
    return { header, steps, end, states };
  }

  return { read, apply, changes };
})();

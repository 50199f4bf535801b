/*
 * web/trace_svg.js - the diagrams of the HTML trace, drawn in SVG from one
 * step's snapshot ("state") and what the step changed ("changes"); the
 * shapes are those of docs/trace-format.md.
 *
 *   message table ──> record ──> record ──> NULL      (one row per queue)
 *                       │          │
 *   kernel data area  [u0][u1][..][..][..]            (a strip of units)
 *   shared memory     P1 @0x... ──> segment: @0 long 150 (stored by P1)
 *   semaphore sets    [1][0][2]  ncnt/zcnt, waiting: P3, undo: P1 [0] +1
 *   processes         [P1 running, p = 100, shm 0 @0x...] [P2 blocked ...]
 *
 * A viewer must not jitter: layout() looks at every step once and fixes the
 * geometry for the whole trace.  A queue keeps its row (slot) from the step
 * that creates it to the step that removes it; a process keeps its box; the
 * strip is as wide as the largest data area of the run; the picture's height
 * never changes.  Removed records and queues are drawn once more, dashed,
 * in the step that removed them, so a student sees what msgrcv took.
 * Segment memory is drawn the way it was written (a stored long as a
 * number, copied text as text, other bytes as hex), with the process that
 * wrote it; each segment has buttons for the other views of its bytes.
 * Each process box holds its variables (the race's p and c are the lesson)
 * and its attachments.
 *
 * Text is always set with textContent: scenario strings are never HTML.
 */
'use strict';

const IpcsimSvg = (function () {
  const NS = 'http://www.w3.org/2000/svg';
  const G = {
    pad: 14, width: 1000, tableX: 14, tableW: 424, chainX: 468, rowH: 96,
    recW: 116, recH: 68, recGap: 30, maxShown: 10, cellsPerRow: 32, maxStripRows: 6,
    cellH: 30, stripX: 210, lane: 34, procW: 330, procGap: 14, segRowH: 74,
    semRowH: 96, semCellW: 76, regionH: 22, regionsShown: 6, lineH: 19, varChars: 34,
  };
  const VIEWS = ['as written', 'long', 'text', 'hex'];
  const PALETTE = ['#2e7d32', '#1565c0', '#8e24aa', '#00838f', '#c77700', '#c62828',
    '#5d4037', '#3949ab'];

  function el(tag, attrs, parent, text) {
    const e = document.createElementNS(NS, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  function clip(s, n) {
    s = String(s);
    return s.length > n ? s.slice(0, n - 1) + '\u2026' : s;
  }

  function byId(list) {
    const m = new Map();
    for (const o of list || []) m.set(o.id, o);
    return m;
  }

  /* The chain drawn for queue q: its records in FIFO order, with the ones
   * this step dequeued (still in prevQ) put back in their old place. */
  function mergedChain(q, prevQ) {
    const now = q ? q.records : [];
    if (!prevQ) return now.map(r => ({ r, ghost: false }));
    const nowIds = byId(now);
    const out = [];
    for (const r of prevQ.records) {
      if (nowIds.has(r.id)) out.push({ r: nowIds.get(r.id), ghost: false });
      else out.push({ r, ghost: true });
    }
    const had = byId(prevQ.records);
    for (const r of now) if (!had.has(r.id)) out.push({ r, ghost: false });
    return out;
  }

  /* Slots: an object keeps its row from creation to removal (inclusive). */
  function assignSlots(states, listName) {
    const slot = new Map();
    let taken = [];
    let max = 0;
    for (let i = 0; i < states.length; i++) {
      const live = new Set((states[i][listName] || []).map(o => o.id));
      if (i > 0) for (const o of states[i - 1][listName] || []) live.add(o.id);
      taken = taken.map(id => (id !== null && live.has(id) ? id : null));
      for (const id of live) {
        if (slot.has(id)) continue;
        let s = taken.indexOf(null);
        if (s < 0) { s = taken.length; taken.push(null); }
        taken[s] = id;
        slot.set(id, s);
      }
      max = Math.max(max, taken.length);
    }
    return { slot, count: max };
  }

  function layout(states) {
    const q = assignSlots(states, 'msg');
    const seg = assignSlots(states, 'shm');
    const sem = assignSlots(states, 'sem');
    let chain = 1, units = 0, atts = 1, sems = 1, regions = 0, procLines = 2, undo = 0;
    const procOrder = new Map();
    for (let i = 0; i < states.length; i++) {
      const s = states[i], prev = i > 0 ? byId(states[i - 1].msg) : new Map();
      const seen = new Set();
      for (const qq of s.msg) {
        seen.add(qq.id);
        chain = Math.max(chain, mergedChain(qq, prev.get(qq.id)).length);
      }
      for (const [id, pq] of prev) if (!seen.has(id)) chain = Math.max(chain, pq.records.length);
      units = Math.max(units, s.area.nunits);
      for (const g of s.shm || []) {
        atts = Math.max(atts, (g.attachments || []).length);
        regions = Math.max(regions, Math.min(G.regionsShown + 1, regionRows(g)));
      }
      for (const g of s.sem || []) {
        sems = Math.max(sems, (g.sems || []).length);
        undo = Math.max(undo, (g.undo || []).length ? 1 : 0);
      }
      for (const p of s.procs) {
        if (!procOrder.has(p.id)) procOrder.set(p.id, procOrder.size);
        procLines = Math.max(procLines, procBody(p, s).length);
      }
    }
    const shown = Math.min(chain, G.maxShown);
    const width = Math.max(G.width, G.chainX + shown * (G.recW + G.recGap) + 70,
      G.chainX + sems * G.semCellW + 260);
    const group = Math.max(1, Math.ceil(units / (G.cellsPerRow * G.maxStripRows)));
    const cells = Math.max(1, Math.ceil(units / group));
    return {
      width, qSlots: q.slot, qRows: Math.max(1, q.count), segSlots: seg.slot,
      segRows: seg.count, segRowH: Math.max(G.segRowH, 26 * atts + 16, 58 + regions * G.regionH),
      semSlots: sem.slot, semRows: sem.count, semRowH: G.semRowH + undo * G.lineH, shown, units,
      group, cells, stripRows: Math.ceil(cells / G.cellsPerRow), procOrder,
      procH: 36 + procLines * G.lineH, views: new Map(),
      /* a kind of object no step ever has takes no room */
      hasMsg: states.some(st => st.msg.length > 0 || st.area.nunits > 0),
    };
  }

  function queueColor(L, qid) {
    const s = L.qSlots.get(qid);
    return PALETTE[(s === undefined ? 0 : s) % PALETTE.length];
  }

  function procLabel(state, pid) {
    const p = state.procs.find(x => x.pid === pid);
    return p && p.name ? p.name : 'pid ' + pid;
  }

  /* An arrow; its head has the colour of its line (one marker per colour). */
  function arrow(svg, d, cls, color) {
    const c = color || '#57606a';
    const id = 'ah-' + c.slice(1);
    const defsEl = svg.querySelector('defs');
    if (!defsEl.querySelector('#' + id)) {
      const m = el('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7,
        markerHeight: 7, orient: 'auto-start-reverse' }, defsEl);
      el('path', { d: 'M0,0 L10,5 L0,10 z', fill: c }, m);
    }
    const a = el('path', { d, class: 'arrow ' + (cls || ''), 'marker-end': `url(#${id})` }, svg);
    a.style.stroke = c;
    return a;
  }

  /* Who took a record that this step removed. */
  function takenBy(step, r) {
    if (!step) return 'removed';
    const same = m => m && m.mtype === r.mtype && m.text === r.text;
    if (step.call === 'msgrcv' && step.result && same(step.result.msg)) return 'taken by ' + step.name;
    for (const e of step.events || []) if (e.kind === 'woken' && same(e.msg)) return 'taken by ' + e.name;
    if (step.call === 'msgctl' || step.kind === 'shell') return 'removed with the queue';
    return 'removed';
  }

  function sectionTitle(svg, y, title, sub) {
    const t = el('text', { x: G.pad, y: y + 20 }, svg);
    el('tspan', { class: 'title' }, t, title);
    if (sub) el('tspan', { class: 'subtitle', dx: 14 }, t, sub);
    return y + 32;
  }

  function drawRecord(svg, x, y, item, color, ctx) {
    const r = item.r;
    const cls = ['record'];
    if (item.ghost) cls.push('ghost');
    if (ctx.enqueued.has(r.id)) cls.push('new');
    if (ctx.picked === r.id) cls.push('picked');
    if (ctx.pickable && !item.ghost) cls.push('pick');
    const g = el('g', { class: cls.join(' '), 'data-id': r.id, 'data-mtype': r.mtype }, svg);
    el('rect', { class: 'box', x, y, width: G.recW, height: G.recH, rx: 6, stroke: color }, g);
    const t = el('text', { x: x + 9, y: y + 23 }, g);
    el('tspan', { class: 'mtype' }, t, clip(r.mtype, 9));
    el('tspan', { class: 'meta', dx: 5 }, t, 'mtype');
    const where = r.unit === null ? 'no text' : r.nunits > 1 ? 'u' + r.unit + '\u2013' + (r.unit + r.nunits - 1)
      : 'u' + r.unit;
    el('text', { x: x + 9, y: y + 42, class: 'meta' }, g, r.size + ' B \u00b7 ' + where);
    el('text', { x: x + 9, y: y + 60, class: 'text mono' }, g, '"' + clip(r.text, 10) + '"');
    if (item.ghost) el('text', { x: x + 2, y: y - 5, class: 'taken' }, g, takenBy(ctx.step, r));
    else if (ctx.enqueued.has(r.id)) el('text', { x: x + 2, y: y - 5, class: 'new-badge' }, g, 'new');
    if (ctx.pickable && !item.ghost) g.addEventListener('click', () => ctx.onPick(r.id));
    return g;
  }

  function drawQueues(svg, L, y, state, prev, ctx) {
    y = sectionTitle(svg, y, 'Message queues',
      'the message table \u2192 each queue\u2019s records (FIFO) \u2192 their text in the data area');
    const cols = [['msqid', 0], ['key', 52], ['perms', 172], ['qnum', 232], ['cbytes', 284],
      ['qbytes', 350]];
    for (const [h, dx] of cols) el('text', { x: G.tableX + 8 + dx, y: y + 12, class: 'th' }, svg, h);
    y += 20;
    const now = byId(state.msg), before = byId(prev ? prev.msg : []);
    const rows = new Map();
    for (const q of state.msg) rows.set(L.qSlots.get(q.id), { q, pq: before.get(q.id), gone: false });
    for (const [id, pq] of before) if (!now.has(id)) rows.set(L.qSlots.get(id), { q: pq, pq, gone: true });
    const recPos = new Map();
    if (rows.size === 0) el('text', { x: G.tableX + 8, y: y + 30, class: 'none' }, svg, 'no queues');
    for (const [slot, row] of rows) {
      const ry = y + slot * G.rowH, q = row.q, color = queueColor(L, q.id);
      const cls = row.gone ? 'queue ghost' : 'queue';
      const g = el('g', { class: cls, 'data-id': q.id }, svg);
      const changed = ctx.changes && (ctx.changes.created.includes(q.id) || ctx.changes.changed.includes(q.id));
      el('rect', { class: 'row-bg' + (changed ? ' changed' : ''), x: G.tableX, y: ry, width: G.tableW,
        height: G.rowH - 10, rx: 4 }, g);
      el('rect', { x: G.tableX, y: ry, width: 6, height: G.rowH - 10, fill: color }, g);
      const cells = [q.msqid, q.key, q.mode, q.qnum, q.cbytes, q.qbytes];
      cols.forEach(([, dx], i) => el('text', { x: G.tableX + 10 + dx, y: ry + 32, class: 'td mono' }, g, String(cells[i])));
      if (row.gone) el('text', { x: G.tableX + 10, y: ry + 62, class: 'taken' }, g, 'removed (IPC_RMID)');
      else if (q.waiters.length) {
        const w = q.waiters.map(x => x.name + ' ' + (x.role === 'send' ? 'msgsnd' : 'msgrcv' +
          (x.msgtyp ? ' type ' + x.msgtyp : ''))).join(', ');
        el('text', { x: G.tableX + 10, y: ry + 62, class: 'waiter' }, g, clip('asleep: ' + w, 38));
      }
      const items = row.gone ? q.records.map(r => ({ r, ghost: true })) : mergedChain(q, row.pq);
      let x = G.chainX, lastX = G.tableX + G.tableW, lastGhost = false;
      const midY = ry + G.recH / 2 + 8;
      items.slice(0, L.shown).forEach((item, i) => {
        if (i === L.shown - 1 && items.length > L.shown) {
          el('text', { x: x + 8, y: midY + 5, class: 'null' }, svg, '+' + (items.length - i) + ' more');
          return;
        }
        arrow(svg, `M${lastX},${midY} L${x - 3},${midY}`, item.ghost || lastGhost || row.gone ? 'ghost' : '');
        drawRecord(svg, x, ry + 8, item, color, ctx);
        if (!item.ghost && item.r.unit !== null) recPos.set(item.r.id, { x: x + G.recW / 2, y: ry + 8 + G.recH, color });
        lastX = x + G.recW;
        lastGhost = item.ghost;
        x += G.recW + G.recGap;
      });
      if (!row.gone) {
        arrow(svg, `M${lastX},${midY} L${lastX + 22},${midY}`, lastGhost ? 'ghost' : '');
        el('text', { x: lastX + 25, y: midY + 5, class: 'null' }, svg, 'NULL');
      }
    }
    return { y: y + L.qRows * G.rowH + G.lane, recPos };
  }

  function unitCell(L, unit) {
    const c = Math.floor(unit / L.group);
    return { col: c % G.cellsPerRow, row: Math.floor(c / G.cellsPerRow) };
  }

  function drawArea(svg, L, y, state, ctx, recPos) {
    const a = state.area;
    const label = el('text', { x: G.pad, y: y + 4 }, svg);
    el('tspan', { class: 'title', x: G.pad, dy: 0 }, label, 'Kernel data area');
    el('tspan', { class: 'subtitle', x: G.pad, dy: 20 }, label, a.nunits + ' units \u00d7 ' + a.unit + ' B');
    el('tspan', { class: 'subtitle', x: G.pad, dy: 18 }, label, a.used + ' used, ' + (a.nunits - a.used) + ' free');
    el('tspan', { class: 'subtitle', x: G.pad, dy: 18 }, label, a.pool ? 'fixed pool (' + a.pool + ' B)' : 'grows as needed');
    if (L.group > 1) el('tspan', { class: 'subtitle', x: G.pad, dy: 18 }, label, 'a cell = ' + L.group + ' units');
    const x0 = G.stripX;
    const cw = (L.width - x0 - G.pad) / G.cellsPerRow;
    const top = y - 12;
    const owner = new Array(L.cells).fill(null);
    const first = new Map();
    for (const e of a.extents) {
      if (!e.used) continue;
      for (let u = e.first; u < e.first + e.nunits; u++) {
        const c = Math.floor(u / L.group);
        if (owner[c] === null) owner[c] = e;
      }
      first.set(Math.floor(e.first / L.group), e);
    }
    const marks = new Map();
    const mark = (list, cls) => {
      for (const e of list) for (let u = e.first; u < e.first + e.nunits; u++) marks.set(Math.floor(u / L.group), cls);
    };
    if (ctx.changes) { mark(ctx.changes.units_freed, 'freed'); mark(ctx.changes.units_allocated, 'alloc'); }
    const strip = el('g', { class: 'strip' }, svg);
    for (let c = 0; c < L.cells; c++) {
      const col = c % G.cellsPerRow, row = Math.floor(c / G.cellsPerRow);
      const x = x0 + col * cw, yy = top + row * (G.cellH + 18);
      const e = owner[c], exists = c * L.group < a.nunits;
      let cls = 'unit ' + (e ? 'used' : 'free');
      if (marks.has(c) && (e || marks.get(c) === 'freed')) cls += ' ' + marks.get(c);
      const r = el('rect', { class: cls, x, y: yy, width: cw - 1, height: G.cellH, 'data-unit': c * L.group }, strip);
      if (e) r.style.fill = queueColor(L, e.queue);
      if (!exists) r.style.opacity = 0.25;
      if (first.has(c) && cw > 20) {
        el('text', { x: x + cw / 2, y: yy + 19, 'text-anchor': 'middle', class: 'tick',
          style: 'fill:#fff;font-weight:700' }, strip, clip(first.get(c).mtype, 4));
      }
      if (col % 8 === 0) el('text', { x, y: yy + G.cellH + 13, class: 'tick' }, strip, 'u' + c * L.group);
    }
    for (const e of a.extents) {
      if (!e.used || !recPos.has(e.record)) continue;
      const p = recPos.get(e.record), cell = unitCell(L, e.first);
      const x2 = x0 + cell.col * cw + cw / 2, y2 = top + cell.row * (G.cellH + 18) - 2;
      arrow(svg, `M${p.x},${p.y} C${p.x},${p.y + 50} ${x2},${y2 - 50} ${x2},${y2}`, 'data', p.color);
    }
    return Math.max(top + L.stripRows * (G.cellH + 18), y + 70) + 8;
  }

  /* ---- segment memory ------------------------------------------------------ */

  function hexBytes(hex) {
    const b = [];
    for (let i = 0; i + 1 < hex.length; i += 2) b.push(parseInt(hex.slice(i, i + 2), 16));
    return b;
  }

  function asLongs(b) {
    const out = [];
    for (let i = 0; i + 8 <= b.length; i += 8) {
      let v = 0n;
      for (let j = 7; j >= 0; j--) v = v * 256n + BigInt(b[i + j]);
      if (v >= 2n ** 63n) v -= 2n ** 64n;
      out.push(String(v));
    }
    return out;
  }

  function asText(b) {
    let n = b.length;
    while (n > 0 && b[n - 1] === 0) n--;
    let t = '';
    for (let i = 0; i < n; i++) {
      const c = b[i];
      if (c === 10) t += '\\n';
      else if (c === 9) t += '\\t';
      else if (c === 34 || c === 92) t += '\\' + String.fromCharCode(c);
      else if (c >= 32 && c < 127) t += String.fromCharCode(c);
      else if (c === 0) t += '\\0';
      else t += '\\x' + c.toString(16).padStart(2, '0');
    }
    return '"' + t + '"';
  }

  /* A region of a segment in one view: as written (its kind), or as longs,
   * text or hex whatever it was written as. */
  function regionText(r, view) {
    const kind = view === 'as written' ? r.kind : view;
    const b = hexBytes(r.hex);
    const more = r.len > b.length ? ' \u2026' : '';
    if (kind === 'long') {
      const v = view === 'as written' && r.values ? r.values.map(String) : asLongs(b);
      return v.length ? 'long' + (v.length > 1 ? '[' + v.length + ']' : '') + ' ' + v.join(', ') + more
        : '(too short for a long) ' + b.map(x => x.toString(16).padStart(2, '0')).join(' ');
    }
    if (kind === 'text') return 'text ' + (view === 'as written' && r.text !== undefined ? '"' + r.text + '"' : asText(b)) + more;
    return 'hex ' + b.map(x => x.toString(16).padStart(2, '0')).join(' ') + more;
  }

  function regionRows(g) {
    return (g.regions || []).length + ((g.regions_more || 0) > 0 ? 1 : 0);
  }

  function drawShm(svg, L, y, state, prev, ctx) {
    y = sectionTitle(svg, y, 'Shared memory', 'segments and their bytes, as written; arrows from each attaching process\u2019s address');
    if (!L.segRows) {
      el('text', { x: G.pad + 8, y: y + 14, class: 'none' }, svg, 'no segments');
      return y + 28;
    }
    const before = byId(prev ? prev.shm : []);
    const boxW = L.width - G.chainX - G.pad;
    for (const s of state.shm) {
      const sy = y + L.segSlots.get(s.id) * L.segRowH;
      const changed = ctx.changes && (ctx.changes.created.includes(s.id) || ctx.changes.changed.includes(s.id));
      const g = el('g', { class: 'seg' + (changed ? ' changed' : ''), 'data-id': s.id }, svg);
      el('rect', { class: 'box', x: G.chainX, y: sy, width: boxW, height: L.segRowH - 14, rx: 6 }, g);
      el('text', { x: G.chainX + 10, y: sy + 22, class: 'td mono' }, g,
        'shmid ' + s.shmid + ' \u00b7 ' + s.size + ' B \u00b7 nattch ' + s.nattch + (s.dest ? ' \u00b7 dest' : ''));
      const view = L.views.get(s.id) || 'as written';
      let vx = G.chainX + boxW - 10;
      for (const v of VIEWS.slice().reverse()) {
        const t = el('text', { x: vx, y: sy + 22, 'text-anchor': 'end',
          class: 'view' + (v === view ? ' on' : ''), 'data-view': v, role: 'button' }, g, v);
        t.addEventListener('click', () => { L.views.set(s.id, v); if (ctx.redraw) ctx.redraw(); });
        vx -= 12 + 8.2 * v.length;
      }
      const old = new Map(((before.get(s.id) || {}).regions || []).map(r => [r.off, r]));
      const regs = s.regions || [];
      if (!regs.length) el('text', { x: G.chainX + 10, y: sy + 46, class: 'none' }, g, 'nothing written yet: all zeros');
      regs.slice(0, G.regionsShown).forEach((r, i) => {
        const ry = sy + 46 + i * G.regionH;
        const o = old.get(r.off);
        const isNew = !!prev && (!o || o.hex !== r.hex || o.pid !== r.pid || o.kind !== r.kind);
        const t = el('text', { x: G.chainX + 10, y: ry, class: 'td mono region' + (isNew ? ' changed-text' : ''),
          'data-off': r.off, 'data-kind': r.kind }, g);
        el('tspan', { class: 'off' }, t, '@' + r.off + ' ');
        el('tspan', { class: 'held' }, t, clip(regionText(r, view), 46));
        el('tspan', { class: 'by', dx: 8 }, t, (r.kind === 'long' ? 'stored by ' : 'copied by ') + (r.name || 'pid ' + r.pid));
      });
      const more = Math.max(0, regs.length - G.regionsShown) + (s.regions_more || 0);
      if (more > 0) el('text', { x: G.chainX + 10, y: sy + 46 + G.regionsShown * G.regionH, class: 'tick' }, g,
        '+' + more + ' more written regions');
      (s.attachments || []).forEach((a, i) => {
        const ay = sy + 18 + i * 26;
        el('text', { x: G.pad + 8, y: ay, class: 'td mono' }, svg,
          procLabel(state, a.pid) + ' @' + a.addr + (a.readonly ? ' (ro)' : ''));
        arrow(svg, `M${G.tableX + G.tableW - 20},${ay - 5} L${G.chainX - 3},${sy + 20}`, '', '#6f42c1');
      });
    }
    return y + L.segRows * L.segRowH;
  }

  function drawSem(svg, L, y, state, ctx) {
    y = sectionTitle(svg, y, 'Semaphore sets', 'values and waiting processes');
    if (!L.semRows) {
      el('text', { x: G.pad + 8, y: y + 14, class: 'none' }, svg, 'no semaphore sets');
      return y + 28;
    }
    const changedSem = new Set((ctx.changes ? ctx.changes.sem_values : []).map(c => c.set + '/' + c.num));
    for (const s of state.sem) {
      const sy = y + L.semSlots.get(s.id) * L.semRowH;
      const g = el('g', { class: 'semset', 'data-id': s.id }, svg);
      el('text', { x: G.pad + 8, y: sy + 26, class: 'td mono' }, g, 'semid ' + s.semid + '  key ' + s.key);
      (s.sems || []).forEach((v, i) => {
        const x = G.chainX + i * G.semCellW;
        el('rect', { class: 'sem-cell' + (changedSem.has(s.id + '/' + i) ? ' changed' : ''), x, y: sy + 6,
          width: G.semCellW - 6, height: 32, rx: 4 }, g);
        el('text', { x: x + (G.semCellW - 6) / 2, y: sy + 28, 'text-anchor': 'middle', class: 'td mono' }, g,
          String(v.value));
        el('text', { x: x + 2, y: sy + 54, class: 'tick' }, g, '[' + i + ']');
        el('text', { x: x + 2, y: sy + 72, class: 'tick counts', 'data-num': i }, g,
          'ncnt ' + v.ncnt + ' zcnt ' + v.zcnt);
      });
      const waiting = (s.waiters || []).map(w => procLabel(state, w.pid)).join(', ');
      const tx = G.chainX + (s.sems || []).length * G.semCellW + 10;
      if (waiting) el('text', { x: tx, y: sy + 28, class: 'waiter' }, g, 'waiting: ' + waiting);
      if ((s.undo || []).length) {
        const u = s.undo.map(x => procLabel(state, x.pid) + ' [' + x.num + '] ' + (x.adj > 0 ? '+' : '') + x.adj);
        el('text', { x: G.pad + 8, y: sy + 90, class: 'undo' }, g,
          clip('undo (applied when the process ends): ' + u.join(', '), 110));
      }
    }
    return y + L.semRows * L.semRowH;
  }

  function procState(p) {
    switch (p.state) {
      case 'blocked': return 'blocked in ' + p.blocked_call + ' on ' + p.blocked_on;
      case 'exited': return 'exited (' + p.exit_status + ')';
      case 'killed': return 'killed by ' + (p.signal_name || 'signal ' + p.signal);
      default: return 'running';
    }
  }

  /* The lines of a process's box under its name: its state, its variables
   * (a few to a line), its attachments. */
  function procBody(p, state) {
    const lines = [{ text: procState(p), cls: 'state' }];
    let line = '';
    for (const v of p.vars || []) {
      const item = v.name + ' = ' + clip(v.value, 24);
      if (line && line.length + 3 + item.length > G.varChars) {
        lines.push({ text: line, cls: 'vars' });
        line = '';
      }
      line += (line ? ',  ' : '') + item;
    }
    if (line) lines.push({ text: line, cls: 'vars' });
    for (const s of state.shm || [])
      for (const a of s.attachments || [])
        if (a.pid === p.pid) lines.push({ text: 'shm ' + s.shmid + ' @' + a.addr + (a.readonly ? ' ro' : ' rw'), cls: 'att' });
    return lines;
  }

  function drawProcs(svg, L, y, state, prev, ctx) {
    y = sectionTitle(svg, y, 'Processes', 'state, variables, attachments');
    const perRow = Math.max(1, Math.floor((L.width - 2 * G.pad) / (G.procW + G.procGap)));
    if (L.procOrder.size === 0) el('text', { x: G.pad + 8, y: y + 14, class: 'none' }, svg, 'no processes yet');
    const before = byId(prev ? prev.procs : []);
    for (const p of state.procs) {
      const i = L.procOrder.get(p.id);
      const x = G.pad + (i % perRow) * (G.procW + G.procGap);
      const py = y + Math.floor(i / perRow) * (L.procH + G.procGap);
      const changed = ctx.changes && (ctx.changes.created.includes(p.id) || ctx.changes.changed.includes(p.id));
      const g = el('g', { class: 'proc ' + p.state + (changed ? ' changed' : ''), 'data-id': p.id }, svg);
      el('rect', { class: 'box', x, y: py, width: G.procW, height: L.procH, rx: 8 }, g);
      el('text', { x: x + 10, y: py + 22, class: 'name' }, g, clip(p.name || 'pid ' + p.pid, 14));
      el('text', { x: x + G.procW - 10, y: py + 22, 'text-anchor': 'end', class: 'tick' }, g, 'pid ' + p.pid);
      const oldVars = new Map(((before.get(p.id) || {}).vars || []).map(v => [v.name, v.value]));
      procBody(p, state).forEach((l, k) => {
        const t = el('text', { x: x + 10, y: py + 44 + k * G.lineH, class: l.cls + (l.cls === 'vars' ? ' mono' : l.cls === 'att' ? ' mono' : '') }, g,
          clip(l.text, 40));
        if (l.cls === 'vars' && prev && (p.vars || []).some(v => l.text.includes(v.name + ' = ') && oldVars.get(v.name) !== v.value))
          t.classList.add('changed-text');
      });
    }
    const rows = Math.max(1, Math.ceil(L.procOrder.size / perRow));
    return y + rows * (L.procH + G.procGap);
  }

  /*
   * Draws state (with prev, the state before the step, for the removed
   * records and queues) into a new <svg>.  ctx: { changes, step, picked,
   * pickable, onPick, redraw }: changes/step of the step just executed (null
   * for the initial state); pickable makes the records clickable (predict
   * mode); redraw draws again (a segment's view was chosen).
   */
  function draw(L, state, prev, ctx) {
    const svg = el('svg', { xmlns: NS, role: 'img', 'aria-label': 'kernel state' });
    ctx.enqueued = new Set(ctx.changes ? ctx.changes.enqueued.map(r => r.id) : []);
    el('defs', {}, svg);
    let y = G.pad;
    if (L.hasMsg) {
      const q = drawQueues(svg, L, y, state, prev, ctx);
      y = drawArea(svg, L, q.y, state, ctx, q.recPos) + 6;
    }
    if (L.segRows) y = drawShm(svg, L, y, state, prev, ctx) + 6;
    if (L.semRows) y = drawSem(svg, L, y, state, ctx) + 6;
    y = drawProcs(svg, L, y, state, prev, ctx);
    svg.setAttribute('viewBox', `0 0 ${L.width} ${y + G.pad}`);
    return svg;
  }

  return { layout, draw };
})();

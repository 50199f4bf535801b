/*
 * web/trace.js - the HTML trace's controls: reads the JSON trace embedded in
 * the page (docs/trace-format.md), and shows one position at a time:
 * position 0 is the kernel before the first step, position N the state
 * after step N.  First / Back / Forward / Last, the slider, the arrow keys
 * (Home/End too), "step N of M", a link to the step (#step=N), the source
 * with the step just executed and the next one highlighted, and "predict
 * the next step": before moving forward, ask what the call will return (and
 * for msgrcv which message it takes), then show the answer; meanwhile the
 * source shows the lines not yet run without their written results (the
 * header's source_masked).  `show` lines draw nothing new: they are not
 * positions of their own.  The states are web/trace_state.js's, the
 * diagrams web/trace_svg.js's.
 */
'use strict';

(function () {
  const $ = id => document.getElementById(id);

  /* every step in full, with its state and changes (web/trace_state.js) */
  const trace = IpcsimState.read($('ipcsim-trace').textContent);
  window.ipcsimTrace = trace; /* for tests/browser: what the page shows */
  const steps = trace.steps.filter(s => s.kind !== 'show');
  const M = steps.length;
  const states = [trace.header.state].concat(steps.map(s => s.state));
  const L = IpcsimSvg.layout(states);
  const answered = new Map();   /* position -> verdict of the prediction made there */
  let pos = 0;
  let picked = null;            /* record id chosen in predict mode */
  let draft = '';               /* the return value typed so far */
  let score = { right: 0, asked: 0 };

  function h(tag, attrs, parent, text) {
    const e = document.createElement(tag);
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  /* ---- the source ---------------------------------------------------------- */

  const lineItems = [];
  const firstStepAt = new Map();

  function buildSource() {
    const ol = $('source');
    steps.forEach((s, i) => { if (!firstStepAt.has(s.line)) firstStepAt.set(s.line, i + 1); });
    trace.header.source.forEach((text, i) => {
      const li = h('li', { id: 'line-' + (i + 1) }, ol, text === '' ? '\u00a0' : text);
      li.dataset.text = text === '' ? '\u00a0' : text;
      if (/^\s*#/.test(text)) li.classList.add('comment');
      if (firstStepAt.has(i + 1)) {
        li.classList.add('step');
        li.title = 'go to this step';
        li.addEventListener('click', () => go(firstStepAt.get(i + 1)));
      }
      lineItems.push(li);
    });
    $('file').textContent = trace.header.file;
    $('title').textContent = 'ipcsim trace \u2014 ' + trace.header.file.replace(/^.*\//, '');
    document.title = 'ipcsim trace: ' + trace.header.file;
  }

  /* The first line whose written results a student predicting must not
   * see: the next step's, or (once answered) the one after it. */
  function hiddenFrom() {
    if (!$('predict').checked || pos >= M) return Infinity;
    if (!answered.has(pos)) return steps[pos].line;
    return pos + 1 < M ? steps[pos + 1].line : Infinity;
  }

  function maskSource() {
    const from = hiddenFrom(), masked = trace.header.source_masked || [];
    lineItems.forEach((li, i) => {
      const hide = i + 1 >= from && masked[i];
      li.textContent = hide ? masked[i] : li.dataset.text;
      li.classList.toggle('masked', !!hide);
    });
  }

  function highlightSource() {
    maskSource();
    for (const li of lineItems) li.classList.remove('current', 'next');
    const cur = pos > 0 ? lineItems[steps[pos - 1].line - 1] : null;
    const next = pos < M ? lineItems[steps[pos].line - 1] : null;
    if (next) next.classList.add('next');
    if (cur) {
      cur.classList.add('current');
      const pane = $('source-pane');
      const top = cur.offsetTop - pane.clientHeight / 3;
      if (cur.offsetTop < pane.scrollTop + 20 || cur.offsetTop > pane.scrollTop + pane.clientHeight - 40)
        pane.scrollTop = Math.max(0, top);
    }
  }

  /* ---- the step panel ------------------------------------------------------ */

  function describeRecord(r) {
    return 'type ' + r.mtype + ' "' + r.text + '" (' + r.size + ' B' +
      (r.unit === null ? '' : ', u' + r.unit + (r.nunits > 1 ? '\u2013' + (r.unit + r.nunits - 1) : '')) + ')';
  }

  /* What a step did to the bytes of the segments it changed: the lost
   * update is a store of the same value by another process. */
  function memoryLines(c, before, after) {
    const out = [];
    const old = new Map((before ? before.shm : []).map(g => [g.id, g]));
    for (const g of after.shm) {
      if (!c.changed.includes(g.id) || !old.has(g.id)) continue;
      const was = new Map((old.get(g.id).regions || []).map(r => [r.off, r]));
      for (const r of g.regions || []) {
        const o = was.get(r.off);
        if (o && o.hex === r.hex && o.pid === r.pid && o.kind === r.kind) continue;
        const show = x => x.kind === 'long' ? String(x.values[0]) : x.kind === 'text' ? '"' + x.text + '"' : x.hex;
        const by = x => x.name || 'pid ' + x.pid;
        out.push(g.id + ' @' + r.off + ': ' + (o ? show(o) + ' (' + by(o) + ') \u2192 ' : '') +
          show(r) + ' (' + (r.kind === 'long' ? 'stored' : 'copied') + ' by ' + by(r) + ')' +
          (o && o.hex === r.hex ? ' \u2014 the same value, written again' : ''));
      }
    }
    return out;
  }

  function changeLines(c, before, after) {
    const out = memoryLines(c, before, after);
    if (c.created.length) out.push('created ' + c.created.join(', '));
    if (c.removed.length) out.push('removed ' + c.removed.join(', '));
    for (const r of c.enqueued) out.push('enqueued on ' + r.queue + ': ' + describeRecord(r));
    for (const r of c.dequeued) out.push('dequeued from ' + r.queue + ': ' + describeRecord(r));
    for (const u of c.units_allocated) out.push('data area: allocated u' + u.first + ' (' + u.nunits + ' unit' + (u.nunits > 1 ? 's' : '') + ')');
    for (const u of c.units_freed) out.push('data area: freed u' + u.first + ' (' + u.nunits + ' unit' + (u.nunits > 1 ? 's' : '') + ')');
    for (const a of c.attached) out.push('attached ' + a.segment + ' at ' + a.addr + ' (pid ' + a.pid + ')');
    for (const a of c.detached) out.push('detached ' + a.segment + ' from ' + a.addr + ' (pid ' + a.pid + ')');
    for (const v of c.sem_values) out.push(v.set + '[' + v.num + ']: ' + v.from + ' \u2192 ' + v.to);
    const described = new Set(out.map(l => l.split(' ')[0]));
    const others = c.changed.filter(id => !described.has(id) &&
      !c.enqueued.concat(c.dequeued).some(r => r.queue === id));
    if (others.length) out.push('changed ' + others.join(', '));
    return out;
  }

  function eventLine(e) {
    switch (e.kind) {
      case 'blocked': return e.name + ' blocks in ' + e.call + ' (<unfinished ...>)';
      case 'woken': return e.name + ' is woken: ' + (e.text || '').replace(/^[^:]*:\s*/, '');
      case 'exited': return e.name + ' exits with ' + e.status;
      default: return e.name + ' is killed by ' + e.signal;
    }
  }

  function resultClass(s) {
    if (!s.result) return 'result';
    if (s.result.blocked) return 'result blocked';
    return s.result.errno ? 'result error' : 'result';
  }

  /* After the last step of a run a runtime error stopped: where and why. */
  function renderStop(box) {
    const e = trace.end && trace.end.error;
    if (pos === M && e)
      h('div', { class: 'result error', id: 'run-error' }, box,
        'The run stopped at line ' + e.line + ': ' + e.message);
  }

  function renderInfo() {
    const box = $('step-info');
    box.textContent = '';
    if (pos === 0) {
      h('div', { class: 'where' }, box, 'Before the first step');
      h('div', { class: 'call' }, box, 'The simulated kernel is empty.');
      if (M > 0) {
        const masked = (trace.header.source_masked || [])[steps[0].line - 1];
        const text = hiddenFrom() <= steps[0].line && masked ? masked : steps[0].text;
        h('div', { class: 'where' }, box, 'Next: line ' + steps[0].line + ': ' + text.trim());
      }
      renderStop(box);
      return;
    }
    const s = steps[pos - 1];
    h('div', { class: 'where' }, box, 'step ' + pos + ' \u00b7 line ' + s.line +
      (s.name ? ' \u00b7 ' + s.name + ' (pid ' + s.pid + ')' : '') +
      (s.expect === 'held' ? ' \u00b7 expectation held \u2713' : s.expect === 'failed' ? ' \u00b7 expectation FAILED \u2717' : ''));
    const call = h('div', { class: 'call' }, box);
    if (s.kind === 'call') {
      h('span', {}, call, s.resolved);
      if (s.result) h('span', { class: resultClass(s) }, call, ' ' + s.result.text);
      if (s.result && s.result.reason)
        h('div', { class: 'reason' }, box, 'why (' + s.result.reason.code + '): ' + s.result.reason.text);
      if (s.resolved.replace(/^\S+:\s*/, '') !== s.text.replace(/^\s*\S+:\s*/, '').replace(/\s*(=.*|<unfinished.*|#.*)$/, ''))
        h('div', { class: 'where' }, box, 'as written: ' + s.text.trim());
    } else {
      call.textContent = s.text.trim();
    }
    if (s.output && s.output.length) h('pre', {}, box, s.output.join('\n'));
    const items = s.events.map(e => ['event', eventLine(e)])
      .concat(changeLines(s.changes, states[pos - 1], states[pos]).map(t => ['changes', t]));
    if (items.length) {
      const ul = h('ul', {}, box);
      for (const [cls, t] of items) h('li', { class: cls }, ul, t);
    }
    renderStop(box);
  }

  /* ---- predict the next step ----------------------------------------------- */

  function askable(p) {
    const s = steps[p];
    return s && s.kind === 'call' && s.result !== null;
  }

  /* The record the next msgrcv takes: the one it dequeues, or (MSG_COPY)
   * the one with its type and text; null when it takes none. */
  function expectedRecord(s) {
    if (s.call !== 'msgrcv' || !s.result || !s.result.msg) return null;
    const d = s.changes.dequeued.find(r => r.mtype === s.result.msg.mtype && r.text === s.result.msg.text);
    if (d) return d.id;
    for (const q of states[pos].msg) for (const r of q.records)
      if (r.mtype === s.result.msg.mtype && r.text === s.result.msg.text) return r.id;
    return null;
  }

  function normalise(t) {
    return t.toLowerCase().replace(/^\s*=\s*/, '').replace(/\(.*\)/, '').replace(/\s+/g, ' ').trim();
  }

  function returnIsRight(s, guess) {
    const g = normalise(guess);
    if (s.result.blocked) return /^(block|blocks|blocked|sleep|sleeps|<unfinished)/.test(g);
    if (s.result.errno) {
      const e = s.result.errno.toLowerCase();
      return g === '-1 ' + e || g === e || g === '-1' + e;
    }
    const ret = String(s.result.ret);
    return g === ret || g.split(' ')[0] === ret || (s.call === 'ftok' && parseInt(g, 16) === s.result.ret);
  }

  function queueOf(s) {
    const id = s.args.length ? 'q' + parseInt(s.args[0], 10) : null;
    return states[pos].msg.find(q => q.id === id) || null;
  }

  function renderPredict() {
    const panel = $('predict-panel');
    panel.textContent = '';
    panel.hidden = true;
    if (!$('predict').checked || !askable(pos)) return;
    panel.hidden = false;
    const s = steps[pos];
    const v = answered.get(pos);
    h('span', { class: 'score' }, panel, score.right + ' of ' + score.asked + ' right');
    h('div', {}, panel, 'Predict: what does the next step return?');
    h('div', { class: 'q' }, panel, s.resolved);
    const form = h('form', {}, panel);
    const input = h('input', { type: 'text', id: 'predict-ret', placeholder: 'e.g. 6, -1 ENOMSG, blocks',
      'aria-label': 'return value' }, form);
    input.value = draft;
    input.addEventListener('input', () => { draft = input.value; });
    const q = s.call === 'msgrcv' ? queueOf(s) : null;
    if (q) {
      h('div', {}, panel, 'Which message does it take? (click a record in the diagram, or choose)');
      const choices = h('div', { class: 'choices' }, panel);
      const opts = q.records.map(r => [r.id, 'type ' + r.mtype + ' "' + r.text + '"']).concat([['none', 'none']]);
      for (const [id, label] of opts) {
        const l = h('label', {}, choices);
        const radio = h('input', { type: 'radio', name: 'pick', value: id }, l);
        if (picked === id) radio.checked = true;
        radio.addEventListener('change', () => { picked = id; draw(); });
        l.appendChild(document.createTextNode(' ' + label));
      }
    }
    const check = h('button', { type: 'submit', id: 'predict-check' }, form, 'Check');
    form.addEventListener('submit', ev => {
      ev.preventDefault();
      if (answered.has(pos)) { go(pos + 1); return; }
      const okRet = returnIsRight(s, input.value);
      const want = q ? (expectedRecord(s) || 'none') : null;
      const okMsg = q ? picked === want : true;
      score.asked++;
      if (okRet && okMsg) score.right++;
      answered.set(pos, { okRet, okMsg, guess: input.value, want, picked });
      renderPredict();
      maskSource();
    });
    if (v) {
      input.value = v.guess;
      input.disabled = true;
      check.textContent = 'Forward \u25b6';
      const res = h('div', {}, panel);
      h('span', { class: 'verdict ' + (v.okRet ? 'ok' : 'bad') }, res, v.okRet ? '\u2713 return value right' : '\u2717 return value wrong');
      if (q) h('span', { class: 'verdict ' + (v.okMsg ? 'ok' : 'bad') }, res, v.okMsg ? '  \u2713 right message' : '  \u2717 wrong message');
      h('div', { class: 'q' }, panel, 'Answer: ' + s.result.text);
      check.focus();
    } else {
      setTimeout(() => input.focus(), 0);
    }
  }

  /* ---- moving -------------------------------------------------------------- */

  function draw() {
    const predicting = $('predict').checked && askable(pos) && !answered.has(pos) && steps[pos].call === 'msgrcv';
    const svg = IpcsimSvg.draw(L, states[pos], pos > 0 ? states[pos - 1] : null, {
      changes: pos > 0 ? steps[pos - 1].changes : null,
      step: pos > 0 ? steps[pos - 1] : null,
      picked: predicting ? picked : null,
      pickable: predicting,
      onPick: id => { picked = id; renderPredict(); draw(); },
      redraw: draw,
    });
    const d = $('diagram');
    d.textContent = '';
    d.appendChild(svg);
  }

  function render() {
    $('counter').textContent = 'step ' + pos + ' of ' + M;
    $('slider').value = String(pos);
    $('first').disabled = $('back').disabled = pos === 0;
    $('forward').disabled = $('last').disabled = pos === M;
    $('permalink').href = '#step=' + pos;
    highlightSource();
    renderInfo();
    renderPredict();
    draw();
  }

  function go(n) {
    n = Math.max(0, Math.min(M, n | 0));
    if (n !== pos) {
      picked = null;
      draft = '';
    }
    pos = n;
    if (location.hash !== '#step=' + pos) history.replaceState(null, '', '#step=' + pos);
    render();
  }

  /* Forward, unless predict mode still waits for an answer. */
  function forward() {
    if ($('predict').checked && askable(pos) && !answered.has(pos)) {
      renderPredict();
      const input = $('predict-ret');
      if (input) input.focus();
      return;
    }
    go(pos + 1);
  }

  function fromHash() {
    const m = /step=(\d+)/.exec(location.hash);
    return m ? parseInt(m[1], 10) : 0;
  }

  function wire() {
    $('first').addEventListener('click', () => go(0));
    $('back').addEventListener('click', () => go(pos - 1));
    $('forward').addEventListener('click', forward);
    $('last').addEventListener('click', () => go(M));
    const slider = $('slider');
    slider.max = String(M);
    slider.addEventListener('input', () => go(parseInt(slider.value, 10)));
    $('predict').addEventListener('change', () => { picked = null; render(); });
    document.addEventListener('keydown', ev => {
      const t = ev.target;
      if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
      if (t && (t.tagName === 'INPUT' && t.type !== 'checkbox' || t.tagName === 'TEXTAREA')) return;
      const keys = { ArrowRight: forward, ArrowLeft: () => go(pos - 1), Home: () => go(0), End: () => go(M) };
      if (keys[ev.key]) {
        ev.preventDefault();
        keys[ev.key]();
      }
    });
    window.addEventListener('hashchange', () => { if (fromHash() !== pos) go(fromHash()); });
  }

  buildSource();
  wire();
  pos = Math.max(0, Math.min(M, fromHash()));
  render();
})();

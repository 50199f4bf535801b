// replay_states.mjs - the page's reading of a version 2 trace
// (web/trace_state.js) gives, at every step, exactly the state written in
// full by `ipcsim trace --keyframe 1` (the state version 1 wrote on every
// line), and its steps in full carry every field of a step line.
//
//   node replay_states.mjs TRACE FULL [TRACE FULL...]
//
// Prints the first difference of each pair that differs and
// `N passed, N failed`; exits 1 on any failure.
import fs from 'node:fs';
import vm from 'node:vm';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const code = fs.readFileSync(path.join(here, '../../web/trace_state.js'), 'utf8');
const sandbox = {};
vm.runInNewContext(code + '\nthis.IpcsimState = IpcsimState;', sandbox);
const { IpcsimState } = sandbox;

function firstDifference(a, b, at) {
  if (a === b) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null ||
      Array.isArray(a) !== Array.isArray(b))
    return `${at}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  const keys = new Set(Object.keys(a).concat(Object.keys(b)));
  for (const k of keys) {
    if (!(k in a) || !(k in b)) return `${at}.${k}: present in one only`;
    const d = firstDifference(a[k], b[k], `${at}.${k}`);
    if (d) return d;
  }
  return null;
}

const STEP_FIELDS = ['type', 'step', 'line', 'text', 'kind', 'proc', 'name', 'pid', 'call', 'bind',
  'args', 'resolved', 'result', 'expect', 'output', 'events', 'changes', 'state'];
let passed = 0, failed = 0;
const args = process.argv.slice(2);
for (let i = 0; i + 1 < args.length; i += 2) {
  const trace = IpcsimState.read(fs.readFileSync(args[i], 'utf8'));
  const full = fs.readFileSync(args[i + 1], 'utf8').split('\n').filter(l => l.trim())
    .map(l => JSON.parse(l)).filter(o => o.type === 'step');
  let err = trace.steps.length !== full.length ? `${trace.steps.length} steps, ${full.length} in full` : null;
  for (let n = 0; !err && n < full.length; n++) {
    err = firstDifference(trace.steps[n].state, full[n].state, `step ${n + 1}: state`);
    const missing = STEP_FIELDS.filter(k => !(k in trace.steps[n]));
    if (!err && missing.length) err = `step ${n + 1}: no ${missing.join(', ')}`;
  }
  if (err) {
    failed++;
    console.log(`not ok - ${args[i]}: ${err}`);
  } else {
    passed++;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

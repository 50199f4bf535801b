// browser_test.mjs - the HTML trace in Debian's Chromium, headless, opened
// from disk: steps forward and back with the buttons and the keys, checks the
// DOM against the trace's own JSON (step counter, highlighted lines, one drawn
// record per record of the snapshot, arrows), follows a #step=N link, answers
// one prediction, and saves screenshots; then opens every OTHER page and
// checks its first and last step the same way; then the lessons of shared
// memory and semaphores: memory drawn as it was written with its other
// views, each process's variables, qbytes, ncnt/zcnt and undo lists, signal
// names, `show` lines that are not positions, and predict mode keeping the
// answers of the lines not yet run out of sight.
//
//   node browser_test.mjs OUTDIR PAGE.html [OTHER.html...]
//
// SHOTS (environment, default "6 11 12"): the steps of PAGE to screenshot,
// saved as OUTDIR/step-NN.png.  Prints TAP-like lines and
// `N passed, N failed`; exits 1 on any failure.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

// JSON with its keys sorted: two states compared whatever their key order.
const canonical = v => JSON.stringify(v, (k, x) => (x && typeof x === 'object' && !Array.isArray(x)
  ? Object.fromEntries(Object.keys(x).sort().map(key => [key, x[key]])) : x));

const [outdir, pagePath, ...others] = process.argv.slice(2);
if (!pagePath || !outdir) {
  console.error('usage: node browser_test.mjs OUTDIR PAGE.html [OTHER.html...]');
  process.exit(2);
}
const shots = (process.env.SHOTS || '6 11 12').split(/\s+/).filter(Boolean).map(Number);
const fileUrl = p => pathToFileURL(path.resolve(p)).href;
const url = fileUrl(pagePath);
const exe = process.env.CHROMIUM ||
  (fs.existsSync('/usr/lib/chromium/chromium') ? '/usr/lib/chromium/chromium' : '/usr/bin/chromium');

let passed = 0, failed = 0;
function check(ok, what) {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok' : 'not ok'} ${passed + failed} - ${what}`);
}

// launch() gives Chromium a fresh, temporary user-data-dir of its own.
const browser = await chromium.launch({
  executablePath: exe,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-dev-shm-usage'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  // No network: every request but the page itself is a failure.
  const offline = [];
  await context.route('**/*', route => {
    if (route.request().url().startsWith('file:')) return route.continue();
    offline.push(route.request().url());
    return route.abort();
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  let steps, header, end, M, stateAt;
  // Each page's trace is a version 2 trace (patches); NAME.full.jsonl next to
  // it (tests/run_traces.sh) has the whole state on every step, as version 1
  // wrote it.  The page must rebuild exactly those
  // states, and everything drawn is checked against them.
  async function open(u) {
    await page.goto(u);
    const read = await page.evaluate(() => ({ steps: window.ipcsimTrace.steps,
      header: window.ipcsimTrace.header, end: window.ipcsimTrace.end }));
    const full = fs.readFileSync(fileURLToPath(u.split('#')[0]).replace(/\.html$/, '.full.jsonl'), 'utf8')
      .split('\n').filter(l => l.trim()).map(l => JSON.parse(l));
    const fullSteps = full.filter(o => o.type === 'step');
    const same = read.steps.length === fullSteps.length &&
      read.steps.every((s, i) => canonical(s.state) === canonical(fullSteps[i].state));
    check(same, `${path.basename(u)}: the page rebuilds every step's state from the patches`);
    // a `show` line draws nothing new: not a position of the page
    steps = read.steps.map((s, i) => Object.assign(s, { state: fullSteps[i].state }))
      .filter(o => o.kind !== 'show');
    header = full.find(o => o.type === 'header');
    end = read.end;
    M = steps.length;
    stateAt = n => (n === 0 ? header.state : steps[n - 1].state);
  }
  await open(url);
  check(M > 2, `the trace has steps (${M})`);

  const counter = () => page.textContent('#counter');
  const lineOf = cls => page.evaluate(c => {
    const li = document.querySelector('#source li.' + c);
    return li ? Number(li.id.replace('line-', '')) : null;
  }, cls);

  // The DOM of position n agrees with the trace.
  async function verify(n, how) {
    check(await counter() === `step ${n} of ${M}`, `${how}: counter reads "step ${n} of ${M}"`);
    check(await lineOf('current') === (n > 0 ? steps[n - 1].line : null),
      `${how}: the executed line is highlighted`);
    check(await lineOf('next') === (n < M ? steps[n].line : null), `${how}: the next line is marked`);
    const want = stateAt(n).msg.reduce((k, q) => k + q.records.length, 0);
    const drawn = await page.locator('#diagram svg g.record:not(.ghost)').count();
    check(drawn === want, `${how}: ${drawn} message records drawn, the snapshot holds ${want}`);
    const arrows = await page.locator('#diagram svg path.arrow').count();
    const queues = stateAt(n).msg.length;
    check(arrows >= want + queues, `${how}: ${arrows} arrows drawn (at least ${want + queues})`);
    const procs = await page.locator('#diagram svg g.proc').count();
    check(procs === stateAt(n).procs.length, `${how}: ${procs} processes drawn`);
  }

  await verify(0, 'on load');
  for (let n = 1; n <= M; n++) {
    await page.click('#forward');
    await verify(n, `Forward button to ${n}`);
  }
  check(await page.isDisabled('#forward'), 'Forward is disabled at the last step');
  await page.click('#back');
  await verify(M - 1, 'Back button');
  await page.click('#first');
  await verify(0, 'First button');
  await page.click('#last');
  await verify(M, 'Last button');
  await page.keyboard.press('Home');
  await verify(0, 'Home key');
  for (let n = 1; n <= 3; n++) await page.keyboard.press('ArrowRight');
  await verify(3, 'ArrowRight key x3');
  await page.keyboard.press('ArrowLeft');
  await verify(2, 'ArrowLeft key');
  await page.keyboard.press('End');
  await verify(M, 'End key');
  await page.fill('#slider', '4');
  await verify(4, 'slider');

  // A link to a step opens at that step.
  const target = Math.min(5, M);
  await page.goto(url + '#step=' + target);
  await page.reload();
  await verify(target, `link #step=${target}`);

  // Predict mode: at the first msgrcv that returns a message, Forward asks first.
  const ask = steps.findIndex(s => s.call === 'msgrcv' && s.result && s.result.msg);
  if (ask >= 0) {
    await page.goto(url + '#step=' + ask);
    await page.reload();
    await page.check('#predict');
    await page.click('#forward');
    check(await counter() === `step ${ask} of ${M}`, 'predict: Forward waits for an answer');
    check(await page.isVisible('#predict-panel'), 'predict: the question is shown');
    const s = steps[ask];
    await page.fill('#predict-ret', String(s.result.ret));
    const taken = s.changes.dequeued[0];
    if (taken) await page.click(`#diagram svg g.record[data-id="${taken.id}"]`);
    await page.click('#predict-check');
    const verdict = await page.textContent('#predict-panel');
    check(/return value right/.test(verdict), 'predict: the right return value is accepted');
    check(!taken || /right message/.test(verdict), 'predict: the right message is accepted');
    check(verdict.includes(s.result.text), 'predict: the answer is shown');
    fs.mkdirSync(outdir, { recursive: true });
    await page.screenshot({ path: path.join(outdir, 'predict.png'), fullPage: true });
    await page.click('#predict-check');
    check(await counter() === `step ${ask + 1} of ${M}`, 'predict: then Forward moves on');
    await page.uncheck('#predict');
  }

  // Screenshots of chosen steps.
  fs.mkdirSync(outdir, { recursive: true });
  for (const n of shots.filter(k => k <= M)) {
    await page.goto(url + '#step=' + n);
    await page.reload();
    const file = path.join(outdir, `step-${String(n).padStart(2, '0')}.png`);
    await page.screenshot({ path: file, fullPage: true });
    check(fs.statSync(file).size > 10000, `screenshot of step ${n}: ${file}`);
  }
  // Every other page: the first and the last step.
  for (const other of others) {
    const name = path.basename(other);
    await open(fileUrl(other));
    await verify(0, `${name} on load`);
    await page.keyboard.press('End');
    await verify(M, `${name} End key`);
    // A run a runtime error stopped says so after its last step.
    const shown = await page.isVisible('#run-error');
    check(end.error ? shown && (await page.textContent('#run-error')).includes(end.error.message) : !shown,
      `${name}: the run's error ${end.error ? 'is shown' : 'is absent'} at the end`);
  }
  // ---- the lessons of "Lecture-ready": memory, processes, semaphores, predict
  const pageOf = name => others.concat([pagePath]).find(p => path.basename(p) === name);
  const go = async (name, n) => {
    await open(fileUrl(pageOf(name)) + '#step=' + n);
    await page.reload();
  };
  const svgText = sel => page.evaluate(s => [...document.querySelectorAll('#diagram svg ' + s)]
    .map(e => e.textContent).join('\n'), sel);
  const nthWith = (pred) => steps.findIndex(pred) + 1;
  // a click on what may be missing (an older page): a failed check, not a stop
  const tryClick = async sel => {
    if (await page.locator(sel).count()) await page.click(sel);
    else check(false, `${sel} is there to click`);
  };

  if (pageOf('race_balance.html')) {
    // 5: a stored long is a number, not its printable byte; the other views on demand
    await go('race_balance.html', 0);
    const stored = nthWith(s => s.resolved && /store\(0x7efffffff000, 100\)/.test(s.resolved));
    await go('race_balance.html', stored);
    let held = await svgText('g.seg text.region');
    check(/@0 long 100(?!\d)/.test(held) && !/"d"/.test(held), `race: balance reads "long 100": ${held}`);
    check(/stored by parent/.test(held), 'race: the region names its writer');
    await tryClick('#diagram svg g.seg text.view[data-view="hex"]');
    held = await svgText('g.seg text.region');
    check(/hex 64 00 00 00 00 00 00 00/.test(held), `race: the hex view: ${held}`);
    await tryClick('#diagram svg g.seg text.view[data-view="text"]');
    held = await svgText('g.seg text.region');
    check(/text "d"/.test(held), `race: the text view shows the byte as a character: ${held}`);
    await tryClick('#diagram svg g.seg text.view[data-view="as written"]');
    // the lost update: the parent stores 150 over the child's 150
    const lost = nthWith(s => s.resolved && /^parent: store\(0x7efffffff000, 100 \+ 50\)/.test(s.resolved));
    await go('race_balance.html', lost);
    held = await svgText('g.seg text.region');
    check(/long 150/.test(held) && /stored by parent/.test(held), `race: the lost update is drawn: ${held}`);
    const info = await page.textContent('#step-info');
    check(/150 \(child\) \u2192 150 \(stored by parent\)/.test(info),
      `race: the step says the parent stored over the child's 150: ${info}`);
    // 6: each process's variables: the registers p and c
    const procs = await svgText('g.proc');
    check(/p = 100/.test(procs) && /c = 100/.test(procs), "race: p and c in the process boxes");
    check(/shm 0 @0x7efffffff000 rw/.test(procs), 'race: each process box lists its attachment');
    await page.screenshot({ path: path.join(outdir, 'race-lost-update.png'), fullPage: true });
    // 9: predict mode does not show the next line's written result
    const ask = nthWith(s => s.resolved && /^parent: p = load/.test(s.resolved)) - 1;
    await go('race_balance.html', ask);
    await page.check('#predict');
    const line = steps[ask].line;
    const shown = await page.textContent('#line-' + line);
    check(!/= 100/.test(shown) && /= \?/.test(shown), `predict: the next line hides its result: "${shown}"`);
    const last = steps[nthWith(s => /final = load/.test(s.text)) - 1].line;
    const later = await page.textContent('#line-' + last);
    check(/final = load\(balance\) = \?/.test(later), `predict: a later line hides its result too: "${later}"`);
    const before = await page.textContent('#line-' + steps[ask - 1].line);
    check(/= 1001/.test(before), `predict: a line already run keeps its result: "${before}"`);
    await page.fill('#predict-ret', '100');
    await tryClick('#predict-check');
    check(/= 100/.test(await page.textContent('#line-' + line)), 'predict: answered, the line shows its result');
    await page.uncheck('#predict');
    check(/= 150/.test(await page.textContent('#line-' + last)), 'predict off: every result is back');
  }
  if (pageOf('msgrcv_table.html')) {
    // 8: qbytes in the message table; the `show` line is not a position
    await go('msgrcv_table.html', 2);
    const table = await svgText('text.th');
    check(/qbytes/.test(table), 'msgrcv_table: the table has qbytes');
    check(/16384/.test(await svgText('g.queue')), 'msgrcv_table: and its value');
    const all = (await page.evaluate(() => document.getElementById('ipcsim-trace').textContent))
      .split('\n').filter(l => l.trim()).map(l => JSON.parse(l)).filter(o => o.type === 'step');
    await page.keyboard.press('End');
    const last = await counter();
    check(all.some(s => s.kind === 'show') && last === `step ${M} of ${M}` && M < all.length,
      `msgrcv_table: ${all.length} trace steps, the page counts "${last}": show lines are not counted`);
  }
  if (pageOf('sem_undo_killed.html')) {
    // 8: ncnt/zcnt and the undo list of a set
    await go('sem_undo_killed.html', 0);
    const blocked = nthWith(s => s.result && s.result.blocked);
    await go('sem_undo_killed.html', blocked);
    const sem = await svgText('g.semset');
    check(/ncnt 1 zcnt 0/.test(sem), `sem_undo_killed: ncnt and zcnt are drawn: ${sem}`);
    check(/undo .*holder \[0\] \+1/.test(sem), `sem_undo_killed: the undo list is drawn: ${sem}`);
  }
  if (pageOf('permissions_two_users.html')) {
    // the kernel's reason under a failed call: bob (uid 1002, gid 200) reads
    // alice's queue of mode 0640 in another group: EACCES.mode
    await go('permissions_two_users.html', 0);
    const denied = nthWith(s => s.result && s.result.errno === 'EACCES');
    await go('permissions_two_users.html', denied);
    const info = await page.textContent('#step-info');
    check(/why \(EACCES\.mode\): mode 0640: uid 1002/.test(info),
      `permissions: the reason is shown under the call: ${info}`);
  }
  if (pageOf('shm_rdonly_sigsegv.html')) {
    await go('shm_rdonly_sigsegv.html', 0);
    await go('shm_rdonly_sigsegv.html', M);
    const procs = await svgText('g.proc');
    check(/killed by SIGSEGV/.test(procs) && !/signal 11/.test(procs), 'a process killed by SIGSEGV says so by name');
  }

  check(errors.length === 0, 'no script errors' + (errors.length ? ': ' + errors.join('; ') : ''));
  check(offline.length === 0, 'no network requests' + (offline.length ? ': ' + offline.join(' ') : ''));
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

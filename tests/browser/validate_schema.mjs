// validate_schema.mjs - every line of the given JSON traces against
// docs/trace.schema.json (JSON Schema 2020-12, checked by Ajv), plus what a
// schema cannot say: a header first, steps numbered 1, 2, ... in order, an
// end last that counts them.
//
//   node validate_schema.mjs SCHEMA TRACE.jsonl...
//
// Prints one line per file and `N passed, N failed`; exits 1 on any failure.
import Ajv2020 from 'ajv/dist/2020.js';
import fs from 'node:fs';

const [schemaPath, ...files] = process.argv.slice(2);
if (!schemaPath || files.length === 0) {
  console.error('usage: node validate_schema.mjs SCHEMA TRACE.jsonl...');
  process.exit(2);
}
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));
let passed = 0, failed = 0;

function checkFile(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  if (lines.at(-1) !== '') return 'does not end with a newline';
  lines.pop();
  const objs = [];
  for (const [i, line] of lines.entries()) {
    let o;
    try { o = JSON.parse(line); } catch (e) { return `line ${i + 1}: not JSON: ${e.message}`; }
    if (!validate(o)) {
      const why = validate.errors.slice(0, 3).map(e => `${e.instancePath} ${e.message}`).join('; ');
      return `line ${i + 1} (${o.type}): ${why}`;
    }
    objs.push(o);
  }
  if (objs.length < 2 || objs[0].type !== 'header' || objs.at(-1).type !== 'end')
    return 'not header, steps, end';
  const steps = objs.slice(1, -1);
  for (const [i, s] of steps.entries())
    if (s.type !== 'step' || s.step !== i + 1) return `line ${i + 2}: expected step ${i + 1}`;
  if (objs.at(-1).steps !== steps.length) return `end counts ${objs.at(-1).steps} steps, there are ${steps.length}`;
  return null;
}

for (const file of files) {
  const why = checkFile(file);
  if (why === null) passed++; else failed++;
  console.log(`${why === null ? 'ok' : 'not ok'} ${passed + failed} - ${file}${why ? ': ' + why : ''}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

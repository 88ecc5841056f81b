// Oracle for tests/test_validators.py: runs Node's own validators (node --expose-internals)
// and JavaScript's conversions on tagged values read from stdin as JSON, and prints, for
// each case, what Node returned or threw. A value is tagged with its JavaScript type:
// {t:'n', v:'1.5'} number (Number(v)), {t:'s', v} string, {t:'b', v} boolean, {t:'u'}
// undefined, {t:'null'}, {t:'a'} [], {t:'o'} {}, {t:'f'} a function, {t:'buf', v} a Buffer.
'use strict';
const v = require('internal/validators');

function decode(x) {
  switch (x.t) {
    case 'n': return Number(x.v);
    case 's': return x.v;
    case 'b': return x.v;
    case 'u': return undefined;
    case 'null': return null;
    case 'a': return [];
    case 'o': return {};
    case 'f': return function f() {};
    case 'buf': return Buffer.from(x.v, 'latin1');
  }
  throw new Error('unknown tag ' + x.t);
}

function show(result) {
  if (typeof result === 'number') {
    if (Number.isNaN(result)) return 'NaN';
    if (result === Infinity) return 'Infinity';
    if (result === -Infinity) return '-Infinity';
    if (Object.is(result, -0)) return '-0';
    return String(result);
  }
  return result === undefined ? null : String(result);
}

const calls = {
  validateNumber: (x, a) => v.validateNumber(x, 'x', ...a),
  validateInteger: (x, a) => v.validateInteger(x, 'x', ...a),
  validateInt32: (x, a) => v.validateInt32(x, 'x', ...a),
  validateUint32: (x, a) => v.validateUint32(x, 'x', ...a),
  validatePort: (x, a) => v.validatePort(x, ...a),
  validateFunction: (x) => v.validateFunction(x, 'x'),
  validateBoolean: (x) => v.validateBoolean(x, 'x'),
  validateObject: (x, a) => v.validateObject(x, 'x', ...a),
  validateString: (x) => v.validateString(x, 'x'),
  validateStringWithoutNullBytes: (x) => v.validateStringWithoutNullBytes(x, 'x'),
  validateOneOf: (x, a) => v.validateOneOf(x, 'x', ...a),
  validateAbortSignal: (x) => v.validateAbortSignal(x, 'x'),
  Number: (x) => Number(x),
  parseInt: (x) => parseInt(x, 10),
  toInt32: (x) => x | 0,
  toUint32: (x) => x >>> 0,
  isPipeName: (x) => typeof x === 'string' && !(Number(x) >= 0),
  truthy: (x) => !!x,
};

const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = cases.map(([fn, value, extra]) => {
  try {
    return { ok: show(calls[fn](decode(value), extra || [])) };
  } catch (err) {
    return { name: err.name, code: err.code, message: err.message };
  }
});
process.stdout.write(JSON.stringify(out));

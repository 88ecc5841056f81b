'use strict';
// (Timers are set in the order they fire: a process paused between two calls cannot reorder
// them.) Node 24's delay clamping and its warnings: over 2**31-1 ms, negative, NaN (each becomes
// 1 ms; the overflow warning every time, the others once); numeric strings as numbers; a
// callback that is not a function refused; clearTimeout of anything; clearing by id.
const { log } = require('./_parity.js');

process.on('warning', (w) => log('w', w.name, JSON.stringify(w.message)));

setTimeout(() => log('a', 'overflow: 1 ms'), 2 ** 31);
setTimeout(() => log('a', 'overflow again: 1 ms'), 2 ** 40);
setTimeout(() => log('a', 'negative: 1 ms'), -5);
setTimeout(() => log('a', 'negative again'), -1);
setTimeout(() => log('a', 'NaN: 1 ms'), NaN);
setTimeout(() => log('a', 'zero: 1 ms'), 0);
setTimeout(() => log('a', 'not a number: 1 ms'), 'abc');
setTimeout(() => log('a', 'at 20 ms'), 20);
setTimeout(() => log('a', "'40' is 40 ms"), '40');
setTimeout(() => log('a', 'max: never'), 2 ** 31 - 1).unref();

for (const [name, fn] of [['setTimeout', setTimeout], ['setInterval', setInterval],
                          ['setImmediate', setImmediate]]) {
  for (const bad of [null, 5, 'cb']) {
    try {
      fn(bad, 1);
      log('b', name, 'accepted', bad);
    } catch (e) {
      log('b', name, e.name, e);
    }
  }
}

for (const value of [null, undefined, 'abc', 12345, {}]) {
  clearTimeout(value);
  clearInterval(value);
  clearImmediate(value);
}
log('c', 'clear* of anything: no error');

const byId = setTimeout(() => log('c', 'never: cleared by id'), 2);
clearTimeout(String(+byId));
const viaInterval = setTimeout(() => log('c', 'never: cleared by clearInterval'), 2);
clearInterval(viaInterval);
const immediate = setImmediate(() => log('c', 'immediate not cleared by clearTimeout'));
clearTimeout(immediate);

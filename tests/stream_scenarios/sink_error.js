'use strict';
// The sink fails a write: its callback gets the error, the queued writes' callbacks too, then
// 'error' and 'close'; a synchronous failure defers all of it to the next tick.
const { Fake, cb, log, run, watch } = require('./harness');

const a = new Fake('a', {}, { sync: false });
const s = new Fake('s');
watch(a, 'a', ['error', 'close', 'finish', 'drain']);
watch(s, 's', ['error', 'close', 'finish']);
const boom = Object.assign(new Error('boom'), { code: 'EBOOM' });
const bang = Object.assign(new Error('bang'), { code: 'EBANG' });
s._write = (chunk, encoding, callback) => {
  log('s._write', chunk);
  callback(bang);
  log('s.after');
};
run([
  () => {
    a.write('1', cb('cb1'));
    a.write('2', cb('cb2'));
    a.end('3', cb('endcb'));
    a.done(boom);
    log('state', a.destroyed, a.errored, a.writableLength);
  },
  () => {
    log('w', s.write('x', cb('cbx')));
    log('w', s.write('y', cb('cby')));
    log('state', s.destroyed, s.errored, s.writableLength);
  },
  () => {
    log('state', s.destroyed, s.closed);
  },
]);

'use strict';
// allowHalfOpen false: the readable side's end ends the writable side after the queued
// writes, then _final, 'finish' and 'close'.
const { Fake, cb, log, run, watch } = require('./harness');

const d = new Fake('d', { allowHalfOpen: false }, { sync: false, final: true });
const h = new Fake('h', {}, { sync: false, final: true });
watch(d, 'd', ['data', 'end', 'prefinish', 'finish', 'close']);
watch(h, 'h', ['data', 'end', 'prefinish', 'finish', 'close']);
run([
  () => {
    d.write('a', cb('cb1'));
    d.push(Buffer.from('in'));
    d.push(null);
    h.push(null);
    log('state', d.allowHalfOpen, h.allowHalfOpen);
  },
  () => {
    log('state', d.writable, d.writableEnded, h.writable, h.writableEnded);
  },
  () => {
    d.done();
  },
  () => {
    d.done();
  },
  () => {
    log('state', d.destroyed, h.destroyed);
  },
]);

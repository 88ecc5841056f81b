'use strict';
// A sink that completes inside _write: callbacks are still deferred (afterWriteTick) and
// batched; 'finish' after end() on a later tick.
const { Fake, cb, log, run, watch } = require('./harness');

const d = new Fake('d', { writableHighWaterMark: 4 });
watch(d, 'd', ['drain', 'prefinish', 'finish', 'close']);
const same = cb('same');
run([
  () => {
    log('w', d.write('ab', cb('cb1')));
    log('w', d.write('cdef', same));
    log('w', d.write('gh', same));
    log('w', d.write('ij'));
    log('w', d.write('kl', cb('cb2')));
    log('state', d.writableLength, d.writableNeedDrain);
  },
  () => {
    d.end(cb('endcb'));
    d.end(cb('endcb2'));
    log('state', d.writableEnded, d.writableFinished);
  },
  () => {
    log('state', d.writableFinished);
    d.end(cb('endcb3'));
  },
]);

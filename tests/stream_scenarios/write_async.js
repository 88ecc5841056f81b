'use strict';
// A sink that completes later: one write in flight, the rest queued; write() returns false
// from writableHighWaterMark on; callbacks in order; 'drain' once the queue is empty; end().
const { Fake, cb, log, run, watch } = require('./harness');

const d = new Fake('d', { writableHighWaterMark: 6 }, { sync: false });
watch(d, 'd', ['drain', 'prefinish', 'finish', 'close', 'error']);
run([
  () => {
    log('w', d.write('abc', cb('cb1')));
    log('w', d.write(Buffer.from('def'), cb('cb2')));
    log('w', d.write('g', 'latin1', cb('cb3')));
    log('state', d.writableLength, d.writableNeedDrain);
  },
  () => {
    d.done();
    log('state', d.writableLength, d.writableNeedDrain);
  },
  () => {
    d.done();
    log('state', d.writableLength);
  },
  () => {
    d.done();
    log('state', d.writableLength, d.writableNeedDrain);
  },
  () => {
    log('w', d.write('h', cb('cb4')));
    d.end('ij', cb('endcb'));
    log('state', d.writableEnded, d.writableFinished, d.writable);
  },
  () => {
    d.done();
  },
  () => {
    d.done();
  },
  () => {
    log('state', d.writableFinished, d.destroyed);
    d.push(null);
    d.resume();
  },
  () => {
    log('state', d.destroyed);
  },
]);

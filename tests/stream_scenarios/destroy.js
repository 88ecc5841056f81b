'use strict';
// destroy(err) with a write in flight and two queued: 'error' then 'close' on the next tick;
// queued callbacks fail once the in-flight write completes; later writes fail too.
const { Fake, cb, log, run, watch } = require('./harness');

const d = new Fake('d', {}, { sync: false });
watch(d, 'd', ['error', 'close', 'finish', 'drain', 'end', 'data']);
const boom = Object.assign(new Error('boom'), { code: 'EBOOM' });
run([
  () => {
    d.write('a', cb('cb1'));
    d.write('b', cb('cb2'));
    d.write('c', cb('cb3'));
    d.end(cb('endcb'));
    d.push(Buffer.from('unread'));
    d.destroy(boom);
    log('state', d.destroyed, d.closed, d.errored, d.writable, d.readable);
    d.destroy(new Error('again'));
  },
  () => {
    log('w', d.write('late', cb('cb4')));
    log('push', d.push(Buffer.from('x')));
    log('read', d.read());
  },
  () => {
    d.done();
    log('state', d.writableLength);
  },
]);

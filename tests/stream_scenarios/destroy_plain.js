'use strict';
// destroy() without an error: only 'close'; queued writes' callbacks get
// ERR_STREAM_DESTROYED; no 'end' for unread data; emitClose false suppresses 'close'.
const { Fake, cb, log, run, watch } = require('./harness');

const d = new Fake('d', {}, { sync: false });
const q = new Fake('q', { emitClose: false });
watch(d, 'd', ['error', 'close', 'end', 'finish']);
watch(q, 'q', ['error', 'close', 'end', 'finish']);
run([
  () => {
    d.cork();
    d.write('a', cb('cb1'));
    d.write('b', cb('cb2'));
    d.destroy();
    q.destroy();
    log('state', d.destroyed, d.closed, d.errored, q.destroyed);
  },
  () => {
    log('state', d.closed, q.closed);
    d.end(cb('endcb'));
  },
]);

'use strict';
// write() after end(): false, ERR_STREAM_WRITE_AFTER_END to the callback and as 'error' on the
// next tick, then the stream destroys itself (autoDestroy).
const { Fake, cb, log, run, watch } = require('./harness');

const d = new Fake('d');
watch(d, 'd', ['error', 'finish', 'close']);
run([
  () => {
    d.end('last', cb('endcb'));
    log('w', d.write('more', cb('cb1')));
    log('state', d.destroyed, d.errored);
  },
  () => {
    log('state', d.destroyed, d.closed, d.errored, d.writableFinished);
  },
]);

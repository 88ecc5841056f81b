'use strict';
// cork()/uncork(): corked writes reach the sink together through _writev; end() uncorks.
const { Fake, cb, log, run, watch } = require('./harness');

const d = new Fake('d', {}, { writev: true });
watch(d, 'd', ['finish']);
run([
  () => {
    d.cork();
    log('w', d.write('a', cb('cb1')));
    log('w', d.write('b'));
    log('w', d.write('c', cb('cb3')));
    log('state', d.writableCorked, d.writableLength);
    d.uncork();
    log('state', d.writableCorked, d.writableLength);
  },
  () => {
    d.cork();
    d.cork();
    d.write('x', cb('cb4'));
    d.uncork();
    log('state', d.writableCorked, d.writableLength);
    d.write('y');
    d.end('z', cb('endcb'));
    log('state', d.writableCorked, d.writableLength);
  },
]);

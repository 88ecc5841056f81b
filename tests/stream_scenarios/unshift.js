'use strict';
// unshift() puts data back at the front; after 'end' it is an error; push() after EOF too.
const { Fake, log, run, watch } = require('./harness');

const d = new Fake('d', { autoDestroy: false });
watch(d, 'd', ['end', 'error', 'close']);
run([
  () => {
    d.push(Buffer.from('hello world'));
    const head = d.read(5);
    log('read', head, d.readableLength);
    log('unshift', d.unshift(head));
    log('len', d.readableLength);
    log('read', d.read());
  },
  () => {
    d.push(null);
    log('read', d.read());
  },
  () => {
    log('unshift', d.unshift(Buffer.from('late')));
  },
  () => {
    log('push', d.push(Buffer.from('more')));
    log('state', d.errored, d.destroyed);
  },
]);

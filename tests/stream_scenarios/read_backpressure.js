'use strict';
// push() returns false at readableHighWaterMark; _read(size) is called when the consumer
// wants more; read(n) above the mark raises it to the next power of 2.
const { Fake, log, run } = require('./harness');

const d = new Fake('d', { readableHighWaterMark: 5 });
const B = Buffer.from;
run([
  () => {
    log('push', d.push(B('abc')));
    log('push', d.push(B('def')));
    log('len', d.readableLength);
  },
  () => {
    log('read', d.read(4));
    log('len', d.readableLength);
  },
  () => {
    log('push', d.push(B('ghi')));
  },
  () => {
    log('read', d.read());
    log('read', d.read(20));
    log('hwm', d.readableHighWaterMark);
  },
  () => {
    log('push', d.push(B('jk')));
    log('push', d.push(null));
    log('read', d.read(20));
    log('read', d.read());
  },
  () => {
    log('ended', d.readableEnded);
  },
]);

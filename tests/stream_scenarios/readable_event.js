'use strict';
// A 'readable' listener takes precedence over 'data' (no flowing); read(n) pulls n bytes,
// returns null when fewer are buffered (until the end); read() also emits 'data'.
const { Fake, log, run, watch } = require('./harness');

const d = new Fake('d', { readableHighWaterMark: 8 });
const B = Buffer.from;
d.on('readable', () => {
  log('d.readable', d.readableLength);
  let chunk;
  while ((chunk = d.read(3)) !== null) log('read', chunk);
  log('left', d.readableLength);
});
watch(d, 'd', ['data', 'end', 'close']);
run([
  () => {
    log('state', d.readableFlowing);
    log('push', d.push(B('abcdefg')));
  },
  () => {
    log('push', d.push(B('hijkl')));
    log('push', d.push(B('mnop')));
  },
  () => {
    log('push', d.push(null));
  },
  () => {
    log('state', d.readableEnded, d.readableLength, d.readableFlowing);
  },
]);

'use strict';
// Paused at first, flowing once a 'data' listener comes; pause() and resume(); 'end' after
// push(null); 'close' only once the writable side finished too (autoDestroy).
const { Fake, log, run, watch } = require('./harness');

const d = new Fake('d');
watch(d, 'd', ['end', 'finish', 'close', 'pause', 'resume']);
const B = Buffer.from;
run([
  () => {
    log('push', d.push(B('one')));
    log('state', d.readableFlowing, d.readableLength, d.isPaused());
  },
  () => {
    d.on('data', (chunk) => log('d.data', chunk));
    log('state', d.readableFlowing, d.readableLength);
  },
  () => {
    log('push', d.push(B('two')));
    log('push', d.push(B('three')));
    log('state', d.readableFlowing, d.readableLength);
  },
  () => {
    d.pause();
    log('push', d.push(B('four')));
    log('state', d.readableFlowing, d.readableLength, d.isPaused());
  },
  () => {
    d.resume();
    log('push', d.push(null));
    log('state', d.readableFlowing, d.readableLength, d.isPaused());
  },
  () => {
    log('ended', d.readableEnded, d.readable, d.destroyed);
    d.end();
  },
  () => {
    log('closed', d.destroyed, d.closed, d.writableFinished);
  },
]);

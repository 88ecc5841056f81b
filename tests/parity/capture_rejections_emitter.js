'use strict';
// captureRejections on a plain EventEmitter: an async listener that throws before or after
// its first await makes the emitter emit 'error' (after the ticks queued meanwhile); the
// nodejs.rejection method, when defined, gets the error, the event and its arguments instead;
// without captureRejections the rejection is uncaught (not exercised: it ends the process).
const { EventEmitter, captureRejectionSymbol } = require('events');
const { log } = require('./_parity.js');

const e = new EventEmitter({ captureRejections: true });
e.on('error', (err) => log('a', 'error', err));
e.on('sync', async (x) => { log('a', 'sync listener', x); throw new Error('before await'); });
e.emit('sync', 1);
log('a', 'emitted');
process.nextTick(() => log('a', 'tick after emit'));

const later = new EventEmitter({ captureRejections: true });
later.on('error', (err) => { log('b', 'error', err); });
later.on('late', async () => {
  await new Promise((resolve) => setTimeout(resolve, 5));
  throw new Error('after await');
});
later.emit('late');

class Custom extends EventEmitter {
  [captureRejectionSymbol](err, event, ...args) {
    log('c', 'rejection', err, event, ...args);
  }
}
const custom = new Custom({ captureRejections: true });
custom.on('error', (err) => log('c', 'error emitted', err));
custom.on('x', async () => { throw new Error('to the symbol'); });
custom.emit('x', 'p', 'q');

const plain = new EventEmitter({ captureRejections: true });
plain.on('x', () => 5);  // a non-promise result is ignored
log('d', 'returned value ignored', plain.emit('x'));

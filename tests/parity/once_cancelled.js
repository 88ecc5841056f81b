'use strict';
// events.once() given up (aborted): both of its listeners are removed, so a later 'error' is
// not swallowed (an emitter without listeners throws it; a socket's reaches its own listener).
const events = require('events');
const net = require('net');
const { log, mask } = require('./_parity.js');

const e = new events.EventEmitter();
const ac = new AbortController();
events.once(e, 'ready', { signal: ac.signal }).then(
  () => log('e', 'resolved'),
  () => {
    log('e', 'given up', e.listenerCount('ready'), e.listenerCount('error'));
    try {
      e.emit('error', new Error('boom'));
      log('e', 'swallowed');
    } catch (err) {
      log('e', 'thrown', err.message);
    }
  },
);
log('e', 'waiting', e.listenerCount('ready'), e.listenerCount('error'));
setTimeout(() => ac.abort(), 10);

const probe = net.createServer();
probe.listen(0, '127.0.0.1', () => {
  const port = probe.address().port;
  mask(port, 'PORT');
  probe.close(() => {
    const c = net.connect(port, '127.0.0.1');
    const ac2 = new AbortController();
    events.once(c, 'connect', { signal: ac2.signal }).catch(() => log('d', 'given up'));
    ac2.abort();
    log('c', 'listeners', c.listenerCount('connect'), c.listenerCount('error'));
    c.on('error', (err) => log('c', 'error', err));
    c.on('close', (hadError) => log('c', 'close', hadError));
  });
});

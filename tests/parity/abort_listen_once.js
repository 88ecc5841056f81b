'use strict';
// The signal option of server.listen (aborting closes the server; an aborted signal closes it
// before it ever listens) and of events.once (the promise rejects with an AbortError whose
// cause is the reason, and both of once's listeners are removed); bad signals refused.
const net = require('net');
const { once, EventEmitter } = require('events');
const { log } = require('./_parity.js');

const ac = new AbortController();
const s1 = net.createServer();
s1.on('listening', () => { log('a', 'listening'); ac.abort(); log('a', 'listening after abort', s1.listening); });
s1.on('close', () => log('a', 'close'));
s1.listen({ port: 0, host: '127.0.0.1', signal: ac.signal });

const s2 = net.createServer();
s2.on('listening', () => log('b', 'never: listening'));
s2.on('close', () => log('b', 'close'));
s2.on('error', (e) => log('b', 'error', e));
s2.listen({ port: 0, host: '127.0.0.1', signal: AbortSignal.abort() });
log('b', 'listening at once', s2.listening);

try {
  net.createServer().listen({ port: 0, signal: 'nope' });
} catch (e) {
  log('c', e.name, e);
}

const s3 = net.createServer();
const ac3 = new AbortController();
s3.listen({ port: 0, host: '127.0.0.1', signal: ac3.signal }, () => {
  s3.close(() => {
    log('c', 'closed first; abort later does nothing', s3.listening);
    ac3.abort();
  });
});

const emitter = new EventEmitter();
const ac4 = new AbortController();
once(emitter, 'ping', { signal: ac4.signal }).then(
  (args) => log('d', 'never', args),
  (e) => log('d', 'rejected', e.name, e, 'cause:', e.cause,
             'listeners', emitter.listenerCount('ping'), emitter.listenerCount('error')));
log('d', 'listeners while waiting', emitter.listenerCount('ping'), emitter.listenerCount('error'));
ac4.abort('stop');
emitter.emit('ping', 1);

once(emitter, 'ping', { signal: AbortSignal.abort('early') }).then(
  () => log('e', 'never'),
  (e) => log('e', 'rejected', e, 'cause:', e.cause, 'listeners', emitter.listenerCount('ping')));

const ac5 = new AbortController();
once(emitter, 'pong', { signal: ac5.signal }).then((args) => {
  log('f', 'resolved', args.join(','));
  ac5.abort();
  log('f', 'abort after resolve: nothing');
});
emitter.emit('pong', 'a', 'b');

once(emitter, 'x', { signal: 5 }).catch((e) => log('g', 'rejected', e.name, e));
once(emitter, 'x', 5).catch((e) => log('g', 'rejected', e.name, e));

const target = new EventTarget();
once(target, 'hello').then(([event]) => log('h', 'EventTarget', event.type));
target.dispatchEvent(new Event('hello'));

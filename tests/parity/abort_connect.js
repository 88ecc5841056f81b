'use strict';
// The signal option of net.connect: aborting while connecting or once connected destroys the
// socket with an AbortError whose cause is the reason; an already aborted signal destroys it
// in the constructor, and connect() then starts over (as on any destroyed socket); a signal
// that is not an AbortSignal is refused; the listen signal closes the server.
const net = require('net');
const { log } = require('./_parity.js');

function watch(tag, sock, closeArg = true) {
  for (const name of ['connect', 'ready', 'end']) sock.on(name, () => log(tag, name));
  sock.on('error', (e) => log(tag, 'error', e.name, e, 'cause:',
                             e.cause instanceof Error ? e.cause.name : e.cause));
  sock.on('close', (hadError) => (closeArg ? log(tag, 'close', hadError) : log(tag, 'close')));
}

const server = net.createServer((c) => c.on('error', () => {}));
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  let open = 3;
  const done = () => { if (--open === 0) server.close(() => log('s', 'server closed')); };

  const pre = net.connect({ port, host: '127.0.0.1', signal: AbortSignal.abort() });
  log('a', 'destroyed', pre.destroyed, 'connecting', pre.connecting);
  watch('a', pre, false);
  pre.on('connect', () => pre.destroy());
  pre.once('ready', done);

  const ac = new AbortController();
  const connecting = net.connect({ port, host: '127.0.0.1', signal: ac.signal });
  watch('b', connecting);
  ac.abort('why');
  log('b', 'destroyed at once', connecting.destroyed);
  connecting.on('close', done);

  const ac2 = new AbortController();
  const connected = net.createConnection({ port, host: '127.0.0.1', signal: ac2.signal }, () => {
    log('c', 'connect callback: abort');
    ac2.abort();
    log('c', 'destroyed', connected.destroyed);
  });
  watch('c', connected);
  connected.on('close', done);

  for (const bad of [5, {}, 'x']) {
    try {
      net.connect({ port, signal: bad });
    } catch (e) {
      log('d', e.name, e);
    }
  }
});

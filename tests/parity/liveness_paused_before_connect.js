'use strict';
// Liveness: a socket paused before it connects reads nothing, so once connected (with nothing
// to write) it does not hold the process; the unref'd server and its unref'd accepted socket
// do not either: the process exits right after 'connect' (the unref'd timer never fires).
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer((s) => s.unref());
server.listen(0, '127.0.0.1', () => {
  server.unref();
  const c = net.connect(server.address().port, '127.0.0.1');
  c.pause();
  c.on('connect', () => log('c', 'connect', c.isPaused()));
  setTimeout(() => log('c', 'still alive'), 3000).unref();
});

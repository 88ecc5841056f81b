'use strict';
// Liveness: a paused socket (paused before it connects, so it reads nothing) still holds the
// process while its writes are pending: 4 MiB written at once complete (the callback runs,
// 'finish' comes after end()) before the process exits.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer((s) => s.unref().resume()); // the peer reads everything
server.listen(0, '127.0.0.1', () => {
  server.unref();
  const c = net.connect(server.address().port, '127.0.0.1');
  c.pause();
  const ok = c.write(Buffer.alloc(4 * 1024 * 1024, 0x61), () => log('c', 'write done'));
  log('c', 'write returned', ok);
  c.end();
  c.on('finish', () => log('c', 'finish', c.bytesWritten));
});

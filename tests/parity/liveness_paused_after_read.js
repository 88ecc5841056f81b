'use strict';
// Liveness: a socket paused after it started reading keeps reading from the kernel until its
// buffer reaches the high-water mark, and holds the process until then: the server's unref'd
// timer still fires and sends 1 MiB, the client stops reading once full, and the process exits.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer((s) => {
  s.unref();
  s.write('hello');
  setTimeout(() => {
    log('s', 'sending more');
    s.write(Buffer.alloc(1024 * 1024, 0x62));
  }, 100).unref();
});
server.listen(0, '127.0.0.1', () => {
  server.unref();
  const c = net.connect(server.address().port, '127.0.0.1');
  c.once('data', (d) => {
    log('c', 'data', d);
    c.pause();
  });
});

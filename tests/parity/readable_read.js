'use strict';
// Paused mode: 'readable' and read(n) on a socket, then read() of the rest, then 'end'.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer((c) => c.end('abcdefg'));
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  let step = 0;
  c.on('readable', () => {
    step++;
    if (step === 1) {
      log('c', 'readable', step, c.readableLength);
      log('c', 'read(2)', c.read(2));
      log('c', 'read(3)', c.read(3));
      log('c', 'read(100)', c.read(100));
      log('c', 'read()', c.read());
      log('c', 'read() again', c.read());
    } else {
      log('c', 'readable', step, c.readableLength, c.read());
    }
  });
  c.on('end', () => log('c', 'end'));
  c.on('close', () => { log('c', 'close'); server.close(); });
});

'use strict';
// destroy() from a 'data' listener: no more 'data', no 'end', 'close' false; the peer sees
// its connection end.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer((c) => {
  c.once('data', (d) => {
    log('s', 'data', d);
    c.destroy();
    log('s', 'destroyed', c.destroyed, c.readable, c.writable);
  });
  c.on('end', () => log('s', 'end'));
  c.on('close', (hadError) => { log('s', 'close', hadError); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => c.write('first'));
  c.on('end', () => log('c', 'end'));
  c.on('error', (err) => log('c', 'error', err.code));
  c.on('close', (hadError) => log('c', 'close'));
});

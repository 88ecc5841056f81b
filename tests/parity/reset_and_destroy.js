'use strict';
// resetAndDestroy(): the socket closes (no error on its side) and the peer gets ECONNRESET.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer((c) => {
  c.on('data', (d) => log('s', 'data', d));
  c.on('end', () => log('s', 'end'));
  c.on('error', (err) => log('s', 'error', err.code, err.syscall));
  c.on('close', (hadError) => { log('s', 'close', hadError); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.write('bye', () => setTimeout(() => {
      log('c', 'returns socket', c.resetAndDestroy() === c);
    }, 30));
  });
  c.on('error', (err) => log('c', 'error', err));
  c.on('close', (hadError) => log('c', 'close', hadError, c.destroyed));
});

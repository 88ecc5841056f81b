'use strict';
// listen() may be called again after close(): the second listen works and serves a client.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer((c) => c.end('served'));
let round = 0;
server.on('listening', () => {
  round++;
  log('s', 'listening', round, server.listening);
  if (round === 1) {
    server.close(() => {
      log('s', 'closed', round, server.listening);
      server.listen(0, '127.0.0.1');
    });
  } else {
    const c = net.connect(server.address().port, '127.0.0.1');
    c.on('data', (d) => log('c', 'data', d));
    c.on('close', () => server.close(() => log('s', 'closed', round, server.listening)));
  }
});
server.listen(0, '127.0.0.1');

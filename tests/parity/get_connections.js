'use strict';
// getConnections(cb): (null, count) as connections come and go; the deprecated connections
// property is not compared.
const net = require('net');
const { log } = require('./_parity.js');

const sockets = [];
const server = net.createServer((c) => {
  sockets.push(c);
  server.getConnections((err, n) => {
    log('s', 'connection', sockets.length, 'count', err, n);
    if (n === 2) sockets[0].destroy();
  });
  c.on('close', () => {
    server.getConnections((err, n) => {
      log('s', 'after close count', err, n);
      if (n === 1) sockets[1].destroy();
      else server.close();
    });
  });
});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  log('s', 'returns server', server.getConnections(() => {}) === server);
  const a = net.connect(port, '127.0.0.1', () => {
    net.connect(port, '127.0.0.1');
  });
});

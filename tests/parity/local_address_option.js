'use strict';
// connect({localAddress, localPort}): the socket is bound before connecting; the server sees
// that address and port.
const net = require('net');
const { log } = require('./_parity.js');

const probe = net.createServer();
probe.listen(0, '127.0.0.1', () => {
  const localPort = probe.address().port;
  probe.close(() => {
    const server = net.createServer((c) => {
      log('s', 'remote', c.remoteAddress, c.remotePort === localPort);
      c.end();
      server.close();
    });
    server.listen(0, '127.0.0.1', () => {
      const c = net.connect({ port: server.address().port, host: '127.0.0.1', localAddress: '127.0.0.1', localPort }, () => {
        log('c', 'local', c.localAddress, c.localPort === localPort);
      });
    });
  });
});

'use strict';
// maxConnections = 1: a second connection is dropped with a 'drop' event (its local and
// remote addresses), the client sees its connection end; 'connection' is not emitted for it.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer((c) => {
  log('s', 'connection');
  c.on('close', () => { log('s', 'first closed'); server.close(); });
});
server.maxConnections = 1;
server.on('drop', (data) => {
  log('s', 'drop', data.localAddress, data.remoteAddress, data.remoteFamily,
    data.localPort === server.address().port, typeof data.remotePort);
});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const first = net.connect(port, '127.0.0.1', () => {
    log('a', 'first connect');
    const second = net.connect(port, '127.0.0.1', () => log('b', 'second connect'));
    second.on('end', () => log('b', 'second end'));
    second.on('error', (err) => log('b', 'second error', err.code));
    second.on('close', (hadError) => {
      log('b', 'second close');
      first.end();
    });
  });
});

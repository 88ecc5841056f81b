'use strict';
// server.close() with an open connection: no longer listening at once, new connections are
// refused, 'close' (and the callback) only after the last connection closed.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer((c) => {
  log('s', 'connection');
  server.close((err) => log('s', 'close callback', err));
  log('s', 'closing', server.listening);
  server.getConnections((err, n) => log('s', 'connections', err, n));
  c.on('data', (d) => {
    log('s', 'data', d);
    c.end('bye');
  });
  c.on('close', () => log('s', 'socket close'));
});
server.on('close', () => log('s', 'close event'));
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const c = net.connect(port, '127.0.0.1');
  c.on('data', (d) => log('c', 'data', d));
  c.on('close', (hadError) => log('c', 'close', hadError));
  c.once('connect', () => setTimeout(() => {
    const late = net.connect(port, '127.0.0.1', () => log('l', 'connect'));
    late.on('error', (err) => {
      log('l', 'error', err.code);
      c.write('last words');
    });
  }, 30));
});

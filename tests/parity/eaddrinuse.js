'use strict';
// EADDRINUSE: the second server's 'error' (code, syscall, message), not followed by
// 'close'; it is not listening.
const net = require('net');
const { log, mask } = require('./_parity.js');

const first = net.createServer();
first.listen(0, '127.0.0.1', () => {
  const port = first.address().port;
  mask(port, 'PORT');
  const second = net.createServer();
  second.on('error', (err) => {
    log('b', 'error', err);
    log('b', 'fields', err.syscall, err.address, err.port === port, second.listening);
    setTimeout(() => first.close(() => log('c', 'first closed')), 20);
  });
  second.on('close', () => log('b', 'close'));
  second.on('listening', () => log('b', 'listening'));
  second.listen(port, '127.0.0.1');
});

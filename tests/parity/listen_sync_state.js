'use strict';
// What is true right after listen() returns (Node binds synchronously for a numeric host), a
// close() right after listen() (no 'listening'), and getConnections() before listening.
const net = require('net');
const { log } = require('./_parity.js');

const a = net.createServer();
a.getConnections((err, n) => log('a', 'connections before listen', err, n));
a.listen(0, '127.0.0.1', () => {
  log('a', 'listening event', a.listening);
  a.close();
});
const addr = a.address();
log('a', 'right after listen', a.listening, addr && addr.address, addr && addr.family);

const b = net.createServer();
b.on('listening', () => log('b', 'listening event'));
b.on('close', () => log('b', 'close event', b.listening));
b.listen(0, '127.0.0.1');
b.close((err) => log('b', 'close callback', err));
log('b', 'right after close', b.listening);

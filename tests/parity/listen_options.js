'use strict';
// listen({port, host, backlog}, cb) and listen({port: 0}) with a 'listening' listener.
const net = require('net');
const { log } = require('./_parity.js');

const a = net.createServer();
a.listen({ port: 0, host: '127.0.0.1', backlog: 5 }, () => {
  log('a', 'listening', a.address().address, a.address().family);
  a.close();
});
a.on('close', () => log('a', 'close'));
const b = net.createServer();
b.on('listening', () => {
  log('b', 'listening', b.address().address, b.address().family);
  b.close();
});
b.listen({ port: 0 });

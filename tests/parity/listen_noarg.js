'use strict';
// listen() with no argument: a random port on the unspecified address, 'listening' event.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer();
const ret = server.listen();
log('s', 'listen returns server', ret === server);
server.on('listening', () => {
  const a = server.address();
  log('s', 'listening', a.address, a.family, a.port > 0);
  server.close();
});
server.on('close', () => log('s', 'close'));

'use strict';
// The spec's exclusive listen: listen({host, port, exclusive: true}).
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer();
server.listen({ host: 'localhost', port: 0, exclusive: true }, () => {
  log('s', 'listening', server.listening);
  server.close(() => log('s', 'closed'));
});

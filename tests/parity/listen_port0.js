'use strict';
// listen(0, cb): any address, OS-assigned port; listening flag; close event and callback.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer();
log('s', 'listening before', server.listening);
server.on('close', () => log('s', 'close event'));
server.listen(0, () => {
  const a = server.address();
  log('s', 'listening', server.listening, a.address, a.family, a.port > 0);
  server.close((err) => log('s', 'close callback', err));
  log('s', 'listening after close', server.listening, server.address());
});

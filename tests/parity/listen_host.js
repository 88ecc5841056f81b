'use strict';
// listen(0, '127.0.0.1', cb) and listen(0, '::1', 511, cb): the bound address and family.
const net = require('net');
const { log } = require('./_parity.js');

const s4 = net.createServer();
s4.listen(0, '127.0.0.1', () => {
  const a = s4.address();
  log('s4', 'listening', a.address, a.family, typeof a.port);
  s4.close(() => log('s4', 'closed'));
});
const s6 = net.createServer();
s6.listen(0, '::1', 511, () => {
  const a = s6.address();
  log('s6', 'listening', a.address, a.family);
  s6.close(() => log('s6', 'closed'));
});

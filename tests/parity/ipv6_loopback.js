'use strict';
// A server on '::1' and a client to '::1': IPv6 addresses and families on both sides.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer((c) => {
  log('s', 'remote', c.remoteAddress, c.remoteFamily, 'local', c.localAddress, c.localFamily);
  c.end();
});
server.listen(0, '::1', () => {
  log('s', 'address', server.address().address, server.address().family);
  const c = net.connect({ port: server.address().port, host: '::1' }, () => {
    log('c', 'remote', c.remoteAddress, c.remoteFamily, 'local', c.localAddress, c.localFamily);
  });
  c.on('close', () => server.close());
});

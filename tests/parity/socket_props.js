'use strict';
// Socket properties before, during and after a connection: readyState, pending, connecting,
// local/remote address, port and family, bytesRead/bytesWritten, address().
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer((c) => {
  log('s', 'remote', c.remoteAddress, c.remoteFamily, typeof c.remotePort);
  log('s', 'local', c.localAddress, c.localPort === server.address().port, c.localFamily);
  log('s', 'readyState', c.readyState, c.pending, c.connecting);
  c.on('data', (d) => c.end(Buffer.concat([d, d])));
  c.on('close', () => { log('s', 'close', c.bytesRead, c.bytesWritten); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  const c = new net.Socket();
  log('c', 'new', c.readyState, c.pending, c.connecting, c.remoteAddress, c.localAddress, c.bytesRead, c.bytesWritten);
  c.connect(server.address().port, '127.0.0.1', () => {
    const a = c.address();
    log('c', 'connected', c.readyState, c.pending, c.connecting);
    log('c', 'remote', c.remoteAddress, c.remoteFamily, c.remotePort === server.address().port);
    log('c', 'address', a.address, a.family, a.port === c.localPort, c.localFamily);
    c.write('ping');
  });
  log('c', 'connecting', c.readyState, c.pending, c.connecting);
  c.on('data', (d) => log('c', 'data', d, c.bytesRead, c.bytesWritten));
  c.on('end', () => log('c', 'end', c.readyState));
  c.on('close', () => log('c', 'close', c.readyState, c.destroyed, c.bytesRead, c.bytesWritten));
});

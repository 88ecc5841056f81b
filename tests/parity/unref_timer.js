'use strict';
// A socket's idle timeout does not keep the program alive: a connected socket with a long
// timeout, unref'd along with its peer and the server, lets the program end.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer((c) => c.unref());
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    log('c', 'connect');
    c.setTimeout(60000);
    server.close(() => log('s', 'never: a connection is still open'));
    c.unref();
    server.unref();
  });
});
// Before _parity.js's own 'exit' listener, which prints the lines.
process.prependListener('exit', () => log('z', 'exit'));

'use strict';
// unref(): a listening server and a connected socket that are unref'd let the program end
// (no 'close' events); ref()/unref() return their object.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer((c) => {
  log('s', 'connection');
  log('s', 'socket unref returns socket', c.unref() === c);
});
server.listen(0, '127.0.0.1', () => {
  log('s', 'listening');
  log('s', 'unref returns server', server.unref() === server, server.ref() === server);
  server.unref();
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    log('c', 'connect');
    c.unref();
  });
  c.on('close', () => log('c', 'close'));
});
server.on('close', () => log('s', 'close'));
// Before _parity.js's own 'exit' listener, which prints the lines.
process.prependListener('exit', () => log('z', 'exit'));

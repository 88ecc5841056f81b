'use strict';
// highWaterMark: the default on a client socket, createServer({highWaterMark}) on accepted
// sockets, and write() returning false once that many bytes wait.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer({ highWaterMark: 1024 }, (c) => {
  log('s', 'hwm', c.readableHighWaterMark, c.writableHighWaterMark);
  log('s', 'write 1023', c.write(Buffer.alloc(1023)));
  log('s', 'write 1', c.write(Buffer.alloc(1)));
  c.end();
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  log('c', 'hwm', c.readableHighWaterMark, c.writableHighWaterMark);
  c.resume();
  c.on('end', () => { c.end(); server.close(); });
});

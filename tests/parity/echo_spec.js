'use strict';
// The spec's echo server (write 'hello\r\n', pipe the socket to itself) and its client
// (write 'world!\r\n', print the data, end), on port 0 instead of 8124.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer((c) => {
  // 'connection' listener
  log('s', 'client connected');
  c.on('end', () => {
    log('s', 'client disconnected');
    server.close();
  });
  c.write('hello\r\n');
  c.pipe(c);
});
server.on('error', (err) => {
  throw err;
});
server.listen(0, () => {
  log('s', 'server bound');
  const client = net.createConnection({ port: server.address().port }, () => {
    // 'connect' listener
    log('c', 'connected to server!');
    client.write('world!\r\n');
  });
  let received = '';
  client.on('data', (data) => {
    received += data.toString();
    if (received === 'hello\r\nworld!\r\n') {
      log('c', JSON.stringify(received));
      client.end();
    }
  });
  client.on('end', () => {
    log('c', 'disconnected from server');
  });
});

'use strict';
// allowHalfOpen: false (default) — the server's side ends by itself after the client's FIN;
// a write in the 'end' listener is a write after end.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer((c) => {
  c.on('data', (d) => log('s', 'data', d));
  c.on('end', () => {
    log('s', 'end', c.writable, c.writableEnded);
    c.write('late', (err) => log('s', 'write callback', err));
  });
  c.on('error', (err) => log('s', 'error', err));
  c.on('finish', () => log('s', 'finish'));
  c.on('close', (hadError) => { log('s', 'close', hadError); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => c.end('ping'));
  c.on('data', (d) => log('c', 'data', d));
  c.on('end', () => log('c', 'end'));
  c.on('finish', () => log('c', 'finish'));
  c.on('close', (hadError) => log('c', 'close', hadError));
});

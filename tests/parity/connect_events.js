'use strict';
// A client's event sequence: 'lookup' (for 'localhost'), 'connect', 'ready', 'data', 'end',
// 'finish', 'close'; setNoDelay/setKeepAlive return the socket; the connect 'timeout' option.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer((c) => c.end('hi'));
server.listen(0, '127.0.0.1', () => {
  const c = net.createConnection({ port: server.address().port, host: 'localhost', family: 4, timeout: 5000 });
  log('c', 'timeout option', c.timeout);
  for (const name of ['lookup', 'connect', 'ready', 'end', 'finish']) {
    c.on(name, (...args) => log('c', name, ...(name === 'lookup' ? args : [])));
  }
  c.on('data', (d) => log('c', 'data', d));
  c.on('close', (hadError) => { log('c', 'close', hadError); server.close(); });
  c.once('connect', () => {
    log('c', 'chainable', c.setNoDelay(true) === c, c.setKeepAlive(true, 1000) === c, c.setNoDelay() === c);
  });
});

'use strict';
// destroy() while a large write is pending: the pending callbacks get an error, no
// 'finish', 'close' with false.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer({ pauseOnConnect: true }, (c) => {
  c.on('error', () => {});
  c.on('close', () => server.close());
  c.resume();
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    const big = Buffer.alloc(16 * 1024 * 1024, 120);
    log('c', 'write big', c.write(big, (err) => log('c', 'big callback', err)));
    log('c', 'write small', c.write('x', (err) => log('c', 'small callback', err)));
    c.destroy();
    log('c', 'destroyed', c.destroyed, c.writable);
  });
  c.on('finish', () => log('c', 'finish'));
  c.on('error', (err) => log('c', 'error', err));
  c.on('close', (hadError) => log('c', 'close', hadError));
});

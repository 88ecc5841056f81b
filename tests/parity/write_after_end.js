'use strict';
// write() after end(): the callback and an 'error' event get ERR_STREAM_WRITE_AFTER_END;
// write() returns false; then 'close' true.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer((c) => {
  c.resume();
  c.on('end', () => server.close());
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.end('done');
    log('c', 'write returns', c.write('more', (err) => log('c', 'write callback', err)));
  });
  c.on('error', (err) => log('c', 'error', err));
  c.on('finish', () => log('c', 'finish'));
  c.on('close', (hadError) => log('c', 'close', hadError));
});

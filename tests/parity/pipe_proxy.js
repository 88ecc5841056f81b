'use strict';
// A proxy made of pipe(): client -> proxy -> echo server and back, 1 MiB each way, ends
// propagated by pipe() through half-open sockets.
const net = require('net');
const crypto = require('crypto');
const { log } = require('./_parity.js');

const echo = net.createServer({ allowHalfOpen: true }, (c) => c.pipe(c));
const proxy = net.createServer({ allowHalfOpen: true }, (c) => {
  const up = net.connect({ port: echo.address().port, host: '127.0.0.1', allowHalfOpen: true });
  c.pipe(up).pipe(c);
  c.on('close', () => { log('p', 'client side close'); proxy.close(); echo.close(); });
});
echo.listen(0, '127.0.0.1', () => proxy.listen(0, '127.0.0.1', () => {
  const data = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < data.length; i++) data[i] = i % 251;
  const c = net.connect(proxy.address().port, '127.0.0.1', () => c.end(data));
  const hash = crypto.createHash('sha256');
  let n = 0;
  c.on('data', (d) => { n += d.length; hash.update(d); });
  c.on('end', () => {
    log('c', 'end', n, hash.digest('hex') === crypto.createHash('sha256').update(data).digest('hex'));
  });
  c.on('close', (hadError) => log('c', 'close', hadError));
}));

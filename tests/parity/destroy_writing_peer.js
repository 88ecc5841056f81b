'use strict';
// The peer of a socket destroyed with a large write pending: it reads what was sent, then a
// plain end ('end', 'close' false), no ECONNRESET.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer({ pauseOnConnect: true }, (c) => {
  let total = 0;
  c.on('data', (d) => { total += d.length; });
  c.on('end', () => log('s', 'end', total > 0));
  c.on('error', (err) => log('s', 'error', err.code));
  c.on('close', (hadError) => { log('s', 'close', hadError); server.close(); });
  setTimeout(() => c.resume(), 50);
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.write(Buffer.alloc(16 * 1024 * 1024, 120), () => {});
    c.destroy();
  });
  c.on('error', () => {});
});

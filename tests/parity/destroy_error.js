'use strict';
// destroy(err) on an open socket: 'error' with that error, then 'close' with true;
// destroyed/errored flags; destroy() again is harmless.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer((c) => {
  c.on('end', () => log('s', 'end'));
  c.on('close', (hadError) => { log('s', 'close', hadError); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.destroy(new Error('boom'));
    log('c', 'destroyed', c.destroyed, c.errored && c.errored.message);
    c.destroy();
  });
  c.on('error', (err) => log('c', 'error', err));
  c.on('close', (hadError) => log('c', 'close', hadError));
});

'use strict';
// destroy() while connecting: no 'connect', no 'error', 'close' with false; a queued write's
// callback gets an error.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer();
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => log('c', 'connect'));
  c.write('queued', (err) => log('c', 'write callback', err));
  log('c', 'connecting', c.connecting, c.destroyed);
  c.destroy();
  log('c', 'after destroy', c.connecting, c.destroyed, c.readyState);
  c.on('error', (err) => log('c', 'error', err));
  c.on('close', (hadError) => { log('c', 'close', hadError); server.close(); });
});

'use strict';
// Server state errors: close() on a server that is not running (callback with
// ERR_SERVER_NOT_RUNNING, and a 'close' event), listen() twice (ERR_SERVER_ALREADY_LISTEN),
// address() before listening.
const net = require('net');
const { log } = require('./_parity.js');

const idle = net.createServer();
log('a', 'address before listen', idle.address());
idle.on('close', () => log('a', 'close event'));
idle.close((err) => log('a', 'close callback', err));
log('a', 'close called');

const busy = net.createServer();
busy.listen(0, '127.0.0.1', () => {
  try {
    busy.listen(0, '127.0.0.1');
    log('b', 'second listen: no error');
  } catch (err) {
    log('b', 'second listen', err);
  }
  busy.close((err) => log('b', 'close callback', err));
  busy.close((err) => log('b', 'second close callback', err));
});

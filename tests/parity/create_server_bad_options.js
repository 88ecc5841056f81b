'use strict';
// createServer() with options that are not an object: ERR_INVALID_ARG_TYPE and its message.
const net = require('net');
const { log } = require('./_parity.js');

for (const bad of [5, 'x', true]) {
  try {
    net.createServer(bad);
    log('a', 'no error');
  } catch (err) {
    log('a', err instanceof TypeError, err);
  }
}

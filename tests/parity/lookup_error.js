'use strict';
// A custom lookup that fails: 'lookup' with the error, then 'error', then 'close' true.
const net = require('net');
const { log } = require('./_parity.js');

function lookup(host, opts, cb) {
  const err = new Error(`getaddrinfo ENOTFOUND ${host}`);
  err.code = 'ENOTFOUND';
  setTimeout(() => cb(err), 1);
}

const c = net.connect({ port: 9, host: 'parity.invalid', lookup }, () => log('c', 'connect'));
c.on('lookup', (err, address, family, host) => log('c', 'lookup', err, address, family, host));
c.on('error', (err) => log('c', 'error event', err.code, err.message));
c.on('close', (hadError) => log('c', 'close', hadError, c.destroyed));

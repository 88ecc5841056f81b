'use strict';
// UNIX-socket connect errors: ENOENT for a missing path, ECONNREFUSED for a path that is not a
// listening socket; each 'error' (code, syscall, address, message) then 'close' true.
const net = require('net');
const fs = require('fs');
const path = require('path');
const { log, mask, TMP } = require('./_parity.js');

mask(TMP, 'TMP');
const plain = path.join(TMP, 'plainfile');
fs.writeFileSync(plain, 'not a socket');
const a = net.connect(path.join(TMP, 'missing.sock'), () => log('a', 'connect'));
a.on('error', (err) => log('a', 'error', err, err.syscall, err.address));
a.on('close', (hadError) => {
  log('a', 'close', hadError);
  const b = net.connect({ path: plain }, () => log('b', 'connect'));
  b.on('error', (err) => log('b', 'error', err, err.syscall, err.address));
  b.on('close', (hadError) => log('b', 'close', hadError));
});

'use strict';
// UNIX-socket listen on a path in a missing directory: libuv reports ENOENT from bind() as
// EACCES ('listen EACCES: permission denied PATH').
const net = require('net');
const path = require('path');
const { log, mask, TMP } = require('./_parity.js');

mask(TMP, 'TMP');
const cases = [['missing-dir', path.join(TMP, 'no', 'such', 'dir.sock')]];
let i = 0;
function next() {
  if (i === cases.length) return;
  const [tag, p] = cases[i++];
  const server = net.createServer();
  server.on('error', (err) => {
    log(tag, 'error', err.code, err.syscall, server.listening);
    log(tag, 'message', err.message);
    next();
  });
  server.listen(p, () => { log(tag, 'listening'); server.close(next); });
}
next();

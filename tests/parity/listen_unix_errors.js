'use strict';
// UNIX-socket listen errors: a path that already exists (EADDRINUSE) and a path too long for
// sockaddr_un (EINVAL); 'error' code, syscall and message.
const net = require('net');
const fs = require('fs');
const path = require('path');
const { log, mask, TMP } = require('./_parity.js');

mask(TMP, 'TMP');
const taken = path.join(TMP, 'taken.sock');
fs.writeFileSync(taken, '');
const cases = [
  ['exists', taken],
  ['too-long', path.join(TMP, 'x'.repeat(120) + '.sock')],
];
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

'use strict';
// listen(path, cb): address() is the path; a client connects by path (string and options
// forms); the socket file is removed when the server closes.
const net = require('net');
const fs = require('fs');
const path = require('path');
const { log, mask, TMP } = require('./_parity.js');

mask(TMP, 'TMP');
const sockPath = path.join(TMP, 'echo.sock');
const server = net.createServer((c) => {
  c.on('data', (d) => c.end(d));
});
server.listen(sockPath, () => {
  log('a', 'listening', server.address(), fs.existsSync(sockPath));
  const c1 = net.connect(sockPath, () => {
    log('c1', 'connect', c1.remoteAddress);
    c1.end('one');
  });
  c1.on('data', (d) => log('c1', 'data', d));
  c1.on('close', (hadError) => {
    log('c1', 'close', hadError);
    const c2 = net.createConnection({ path: sockPath }, () => {
      log('c2', 'connect');
      c2.end('two');
    });
    c2.on('data', (d) => log('c2', 'data', d));
    c2.on('close', (hadError) => {
      log('c2', 'close', hadError);
      server.close(() => log('z', 'closed, file exists', fs.existsSync(sockPath)));
    });
  });
});

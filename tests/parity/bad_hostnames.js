'use strict';
// Host names the resolver refuses ('a..b', a 64-character label, U+2028): connect gives
// 'lookup' with the error, 'error' (ENOTFOUND / EINVAL, syscall getaddrinfo, hostname), then
// 'close' true; listen(0, host) gives 'error' and never listens. A UNIX path longer than
// sun_path: connect is destroyed at once (EINVAL), then 'error' and 'close' true.
const net = require('net');
const { log, mask } = require('./_parity.js');

const hosts = [['dots', 'a..b'], ['label', 'a'.repeat(64)], ['u2028', 'a\u2028b']];
for (const [tag, host] of hosts) {
  const c = net.connect(80, host, () => log(tag, 'connect'));
  log(tag, 'connecting', c.connecting);
  c.on('lookup', (err, address, family, h) =>
    log(tag, 'lookup', err, address === undefined, family === undefined, h === host));
  c.on('error', (err) => log(tag, 'error', err, err.syscall, err.hostname === host));
  c.on('close', (hadError) => {
    log(tag, 'close', hadError, c.destroyed);
    const server = net.createServer();
    server.on('error', (err) => log(tag, 'listen error', err, err.syscall, server.listening));
    server.on('listening', () => { log(tag, 'listening'); server.close(); });
    server.listen(0, host);
  });
}
const path = '/tmp/' + 'x'.repeat(120);
mask(path, 'LONGPATH');
const u = net.connect(path, () => log('unix', 'connect'));
log('unix', 'connecting', u.connecting, u.destroyed);
u.on('error', (err) => log('unix', 'error', err, err.syscall, err.address === path));
u.on('close', (hadError) => log('unix', 'close', hadError));

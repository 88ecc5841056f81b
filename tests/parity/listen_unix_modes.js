'use strict';
// readableAll / writableAll of a UNIX listen: the socket file's mode gains read / write
// permission for everyone (added to what bind() gave under the umask); only the value true
// counts; an abstract path refuses either option at once; a TCP listen ignores them.
const net = require('net');
const fs = require('fs');
const path = require('path');
const { log, TMP } = require('./_parity.js');

process.umask(0o077);
const cases = [
  ['none', {}],
  ['readableAll', { readableAll: true }],
  ['writableAll', { writableAll: true }],
  ['both', { readableAll: true, writableAll: true }],
  ['truthy but not true', { readableAll: 1, writableAll: 'yes' }],
];

function attempt(what, fn) {
  try {
    fn();
    log(what, 'no error');
  } catch (err) {
    log(what, err instanceof TypeError ? 'TypeError' : 'Error', err);
  }
}
attempt('abstract readableAll', () => net.createServer().listen({ path: '\0twnet-abstract', readableAll: true }));
attempt('abstract writableAll truthy', () => net.createServer().listen({ path: '\0twnet-abstract', writableAll: 'yes' }));

function next(i) {
  if (i === cases.length) {
    const tcp = net.createServer().listen({ port: 0, host: '127.0.0.1', readableAll: true, writableAll: true }, () => {
      log('tcp', 'listening', tcp.listening);
      tcp.close();
    });
    return;
  }
  const [name, extra] = cases[i];
  const p = path.join(TMP, `m${i}.sock`);
  const server = net.createServer().listen({ path: p, ...extra }, () => {
    log(name, 'mode', (fs.statSync(p).mode & 0o777).toString(8));
    server.close(() => next(i + 1));
  });
}
next(0);

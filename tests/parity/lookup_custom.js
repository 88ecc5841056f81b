'use strict';
// A custom lookup function: what it is asked, the 'lookup' event's arguments, then 'connect'
// (default autoSelectFamily, then autoSelectFamily: false).
const net = require('net');
const { log } = require('./_parity.js');

function lookup(host, opts, cb) {
  log('l', 'lookup called', host, opts.all === true);
  // Asynchronously, as dns.lookup answers (a synchronous answer comes before any listener).
  setTimeout(() => {
    if (opts.all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
    else cb(null, '127.0.0.1', 4);
  }, 1);
}

const server = net.createServer((c) => c.end());
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const a = net.connect({ port, host: 'parity.invalid', lookup }, () => {
    log('a', 'connect', a.remoteAddress);
  });
  a.on('lookup', (err, address, family, host) => log('a', 'lookup', err, address, family, host));
  a.on('close', () => {
    const b = net.connect({ port, host: 'parity.invalid', lookup, autoSelectFamily: false }, () => {
      log('b', 'connect', b.remoteAddress);
    });
    b.on('lookup', (err, address, family, host) => log('b', 'lookup', err, address, family, host));
    b.on('close', () => server.close());
  });
});

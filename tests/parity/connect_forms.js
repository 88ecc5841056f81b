'use strict';
// connect(port, host, cb), connect({port, host}, cb), createConnection(port, host) with a
// 'connect' listener, new Socket().connect(port, host, cb), new Socket().connect({port, host}),
// and connect(port) to 'localhost': one after the other, each sending its number.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer((c) => {
  c.on('data', (d) => log('s', 'got', d));
});
server.listen(0, () => {
  const port = server.address().port;
  const forms = [
    (cb) => net.connect(port, '127.0.0.1', cb),
    (cb) => net.connect({ port, host: '127.0.0.1' }, cb),
    (cb) => net.createConnection(port, '127.0.0.1').on('connect', cb),
    (cb) => new net.Socket().connect(port, '127.0.0.1', cb),
    (cb) => new net.Socket().connect({ port, host: '127.0.0.1' }).on('connect', cb),
    (cb) => net.connect(port, cb),
  ];
  let i = 0;
  function next() {
    if (i === forms.length) { server.close(() => log('z', 'done')); return; }
    const n = ++i;
    const c = forms[n - 1](() => {
      log('c', n, 'connect', c.connecting, c.remotePort === port, c.pending);
      c.end(`form ${n}`);
    });
    log('c', n, 'connecting', c.connecting, c.pending);
    c.on('close', (hadError) => { log('c', n, 'close', hadError); next(); });
  }
  next();
});

'use strict';
// ECONNREFUSED: 'error' (code, syscall, address, port, message), then 'close' true.
const net = require('net');
const { log, mask } = require('./_parity.js');

const probe = net.createServer();
probe.listen(0, '127.0.0.1', () => {
  const port = probe.address().port;
  mask(port, 'PORT');
  probe.close(() => {
    const c = net.connect(port, '127.0.0.1', () => log('c', 'connect'));
    c.on('error', (err) => {
      log('c', 'error', err);
      log('c', 'fields', err.syscall, err.address, err.port === port, err instanceof Error);
      log('c', 'state', c.connecting, c.destroyed);
    });
    c.on('close', (hadError) => log('c', 'close', hadError));
  });
});

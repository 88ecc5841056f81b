'use strict';
// The spec's EADDRINUSE retry: on 'error', wait (50 ms here), server.close(), listen again;
// the port has been freed meanwhile, so the retry listens.
const net = require('net');
const { log } = require('./_parity.js');

const blocker = net.createServer();
blocker.listen(0, '127.0.0.1', () => {
  const PORT = blocker.address().port;
  const HOST = '127.0.0.1';
  const server = net.createServer();
  let tries = 0;
  server.on('error', (e) => {
    if (e.code == 'EADDRINUSE') {
      log('s', 'Address in use, retrying...');
      blocker.close();
      setTimeout(() => {
        server.close();
        server.listen(PORT, HOST);
      }, 50);
    }
  });
  server.on('close', () => log('s', 'close event'));
  server.on('listening', () => {
    tries++;
    log('s', 'listening', tries, server.address().port === PORT);
    server.close();
  });
  server.listen(PORT, HOST);
});

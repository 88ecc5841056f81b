'use strict';
// Liveness: a socket accepted with pauseOnConnect reads nothing and, with nothing to write,
// does not hold the process: once the unref'd server has it and the client is unref'd in
// turn, the process exits at once (the unref'd timer never fires).
const net = require('net');
const { log } = require('./_parity.js');

let c;
const server = net.createServer({ pauseOnConnect: true }, (s) => {
  log('s', 'connection', s.isPaused());
  c.unref();
});
server.listen(0, '127.0.0.1', () => {
  server.unref();
  c = net.connect(server.address().port, '127.0.0.1');
  setTimeout(() => log('s', 'still alive'), 3000).unref();
});

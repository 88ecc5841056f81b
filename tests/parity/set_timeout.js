'use strict';
// setTimeout(50, cb): 'timeout' fires on an idle socket (the callback is a one-time
// listener), only once without activity, the socket stays open; setTimeout(0) disables it.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer((c) => {
  c.on('end', () => { log('s', 'end'); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    log('c', 'timeout before', c.timeout);
    const ret = c.setTimeout(50, () => log('c', 'timeout callback'));
    log('c', 'setTimeout returns socket', ret === c, c.timeout);
  });
  let n = 0;
  c.on('timeout', () => {
    n++;
    log('c', 'timeout event', n, c.destroyed, c.writable);
    // No second 'timeout' without activity; then disable and end.
    setTimeout(() => {
      log('c', 'still open', c.destroyed, n);
      c.setTimeout(0);
      c.end();
    }, 150);
  });
  c.on('error', (err) => log('c', 'error', err));
  c.on('close', (hadError) => log('c', 'close', hadError));
});

'use strict';
// A closed socket connects again (Node's _undestroy): refused first ('error', 'close' true),
// then twice to a server, each time with fresh state (errored cleared, 'end', 'finish',
// 'close' false, byte counters from 0) and bufferSize undefined once closed.
const net = require('net');
const { log, mask } = require('./_parity.js');

const server = net.createServer((c) => {
  c.on('data', (d) => c.write(d));
  c.on('end', () => c.end());
});
const probe = net.createServer();
probe.listen(0, '127.0.0.1', () => {
  const refused = probe.address().port;
  mask(refused, 'REFUSED');
  probe.close(() => server.listen(0, '127.0.0.1', () => {
    const port = server.address().port;
    const s = new net.Socket();
    let closes = 0;
    s.on('error', (err) => log('c', 'error', err.code));
    s.on('data', (d) => log('c', 'data', d));
    for (const name of ['end', 'finish']) s.on(name, () => log('c', name));
    s.on('close', (hadError) => {
      closes += 1;
      log('c', 'close', hadError, s.destroyed, s.bufferSize, s.readyState, s.bytesRead, s.bytesWritten);
      if (closes === 3) {
        server.close();
        return;
      }
      s.connect(port, '127.0.0.1', () => {
        log('c', 'connect', closes, s.readyState, s.errored, s.destroyed, s.writable, s.bytesRead, s.bytesWritten);
        s.end(closes === 1 ? 'one' : 'two!!');
      });
    });
    s.connect(refused, '127.0.0.1');
  }));
});

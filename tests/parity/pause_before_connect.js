'use strict';
// pause() before the connection opens: nothing is read from the kernel until resume()
// (readableLength and bytesRead stay 0 while the peer's data waits), then everything arrives.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer((s) => {
  s.end('hello');
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.pause();
  log('c', 'paused', c.isPaused(), c.readableFlowing);
  c.on('connect', () => {
    setTimeout(() => {
      log('c', 'before resume', c.readableLength, c.bytesRead, c.readableEnded);
      c.on('data', (d) => log('c', 'data', d));
      log('c', 'flowing after a data listener', c.readableFlowing);
      c.resume();
    }, 50);
  });
  c.on('end', () => log('c', 'end', c.bytesRead));
  c.on('close', (hadError) => {
    log('c', 'close', hadError);
    server.close();
  });
});

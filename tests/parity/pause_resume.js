'use strict';
// pause() stops 'data' (isPaused, readableFlowing), data sent meanwhile waits; resume()
// delivers it, then 'end'.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer((c) => {
  c.once('data', (d) => {
    log('s', 'first', d);
    c.pause();
    log('s', 'paused', c.isPaused(), c.readableFlowing);
    c.on('data', (d) => log('s', 'data', d));
    c.write('go on');
    setTimeout(() => {
      log('s', 'resume');
      c.resume();
      log('s', 'resumed', c.isPaused(), c.readableFlowing);
    }, 50);
  });
  c.on('end', () => { log('s', 'end'); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => c.write('one'));
  c.on('data', (d) => { log('c', 'data', d); c.end('two'); });
});

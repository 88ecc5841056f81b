'use strict';
// pauseOnConnect: the accepted socket reads nothing until resume().
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer({ pauseOnConnect: true }, (c) => {
  log('s', 'connection', c.isPaused(), c.readableFlowing);
  c.on('data', (d) => log('s', 'data', d));
  c.on('end', () => { log('s', 'end'); server.close(); });
  setTimeout(() => {
    log('s', 'resume', c.bytesRead);
    c.resume();
  }, 50);
});
server.listen(0, '127.0.0.1', () => {
  net.connect(server.address().port, '127.0.0.1', function () { this.end('hello'); });
});

'use strict';
// Large writes: write() returns false past the high-water mark, 'drain' follows once the
// queue empties (before the callbacks of the writes it flushed), bufferSize/writableLength.
const net = require('net');
const { log } = require('./_parity.js');

const MIB = 1024 * 1024;
const server = net.createServer({ pauseOnConnect: true }, (c) => {
  let total = 0;
  c.on('data', (d) => { total += d.length; });
  c.on('end', () => { log('s', 'received', total); server.close(); });
  setTimeout(() => c.resume(), 50);
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    log('c', 'hwm', c.writableHighWaterMark);
    log('c', 'small write', c.write('x'.repeat(100), (err) => log('c', 'small callback', err)));
    log('c', 'big write', c.write(Buffer.alloc(8 * MIB), (err) => log('c', 'big callback', err)));
    log('c', 'queued', c.writableLength > 0, c.bufferSize > 0, c.writableNeedDrain);
    c.once('drain', () => {
      log('c', 'drain', c.writableLength, c.writableNeedDrain);
      c.end(() => log('c', 'end callback'));
    });
  });
  c.on('finish', () => log('c', 'finish', c.bytesWritten));
});

'use strict';
// end(data) after queued writes: every byte arrives, in order, before the FIN; write
// callbacks run in order, then 'finish', then 'close'.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer((c) => {
  let got = '';
  c.on('data', (d) => { got += d; });
  c.on('end', () => { log('s', 'end', got.length, got.slice(0, 3), got.slice(-3)); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  // Queued while still connecting.
  log('c', 'write a', c.write('a', (err) => log('c', 'cb a', err)));
  log('c', 'write b', c.write('b'.repeat(100000), (err) => log('c', 'cb b', err)));
  log('c', 'write c', c.write(Buffer.from('c'), (err) => log('c', 'cb c', err)));
  const ret = c.end('xyz', () => log('c', 'end callback'));
  log('c', 'end returns socket', ret === c, c.writableEnded, c.writableFinished);
  c.on('connect', () => log('c', 'connect'));
  c.on('finish', () => log('c', 'finish', c.writableFinished));
  c.on('close', (hadError) => log('c', 'close', hadError, c.bytesWritten));
});

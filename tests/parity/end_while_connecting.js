'use strict';
// end(data) called while still connecting: the data and the FIN go out once connected;
// 'connect', then 'finish', then the peer's answer, 'end' and 'close'.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer({ allowHalfOpen: true }, (c) => {
  let got = '';
  c.on('data', (d) => { got += d; });
  c.on('end', () => { log('s', 'end', got); c.end(`got ${got}`); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.end('early', () => log('c', 'end callback'));
  log('c', 'after end()', c.connecting, c.writable, c.writableEnded, c.readyState);
  for (const name of ['connect', 'ready', 'finish', 'end']) c.on(name, () => log('c', name));
  c.on('data', (d) => log('c', 'data', d));
  c.on('close', (hadError) => log('c', 'close', hadError));
});

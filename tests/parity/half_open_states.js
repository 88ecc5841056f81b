'use strict';
// Half-open from the server side: the server ends first and keeps reading ('readOnly'); the
// client (allowHalfOpen) hears 'end', is 'writeOnly', writes more and ends; both close.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer({ allowHalfOpen: true }, (c) => {
  c.end('server done');
  log('s', 'after end()', c.readyState, c.readable, c.writable);
  let got = '';
  c.on('data', (d) => { got += d; });
  c.on('end', () => log('s', 'end', got, c.readyState));
  c.on('close', (hadError) => { log('s', 'close', hadError, c.readyState); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect({ port: server.address().port, host: '127.0.0.1', allowHalfOpen: true });
  let got = '';
  c.on('data', (d) => { got += d; });
  c.on('end', () => {
    log('c', 'end', got, c.readyState, c.readable, c.writable);
    c.write('late ');
    c.end('words');
    log('c', 'after end()', c.readyState);
  });
  c.on('close', (hadError) => log('c', 'close', hadError, c.readyState));
});

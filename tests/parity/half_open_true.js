'use strict';
// allowHalfOpen: true — the server hears the client's FIN, keeps writing, then ends itself.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer({ allowHalfOpen: true }, (c) => {
  let got = '';
  c.on('data', (d) => { got += d; });
  c.on('end', () => {
    log('s', 'end', got, c.writable, c.readable);
    c.write('still ');
    setTimeout(() => c.end('writing'), 20);
  });
  c.on('finish', () => log('s', 'finish'));
  c.on('close', (hadError) => { log('s', 'close', hadError); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => c.end('ping'));
  let got = '';
  c.on('data', (d) => { got += d; });
  c.on('end', () => log('c', 'end', got));
  c.on('close', (hadError) => log('c', 'close', hadError));
});

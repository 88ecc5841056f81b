'use strict';
// events.captureRejections = true makes a server capture: an async 'connection' listener
// that fails destroys that connection with the error and the server goes on accepting; a
// failing async listener of another event ('listening') makes the server emit 'error'.
const events = require('events');
events.captureRejections = true;
const net = require('net');
const { log } = require('./_parity.js');

let count = 0;
const server = net.createServer();
server.on('connection', async (conn) => {
  count += 1;
  const n = count;
  conn.on('error', (err) => log(`s${n}`, 'error', err));
  conn.on('close', (hadError) => log(`s${n}`, 'close', hadError));
  if (n === 1) throw new Error('first connection');
  conn.end('second ok');
});
server.on('error', (err) => log('server', 'error', err));
server.on('listening', async () => { throw new Error('in listening'); });
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const first = net.connect(port, '127.0.0.1');
  first.on('error', (err) => log('c1', 'error', err.code));
  first.on('close', () => {
    log('c1', 'close');
    const second = net.connect(port, '127.0.0.1');
    second.on('data', (d) => log('c2', 'data', d));
    second.on('close', () => { log('c2', 'close'); server.close(); });
  });
});

'use strict';
// captureRejections on streams: a failing async listener destroys the stream with the error
// ('error', then 'close'), a PassThrough and a connected net.Socket alike.
const net = require('net');
const { PassThrough } = require('stream');
const { log } = require('./_parity.js');

const p = new PassThrough({ captureRejections: true });
p.on('data', async (chunk) => { log('p', 'data', chunk); throw new Error('in data'); });
p.on('error', (err) => log('p', 'error', err, p.destroyed));
p.on('close', () => log('p', 'close'));
p.write('hello');

const server = net.createServer((c) => {
  c.on('end', () => log('s', 'end'));
  c.on('close', (hadError) => { log('s', 'close', hadError); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  const c = new net.Socket({ captureRejections: true });
  c.on('connect', async () => {
    log('c', 'connect');
    await null;
    throw new Error('in connect');
  });
  c.on('error', (err) => log('c', 'error', err));
  c.on('close', (hadError) => log('c', 'close', hadError, c.destroyed));
  c.connect(server.address().port, '127.0.0.1');
});

'use strict';
// A Socket that never connects: its properties, address(), and what write(), end() and
// destroy() do without a connection ('close' without argument printed as false, see below).
const net = require('net');
const { log } = require('./_parity.js');

// Node emits 'close' with no argument for a socket that never had a handle; API.md: "where
// Node passes nothing ... twnet passes False". The Node half prints that mapping.
const hadErr = (hadError) => (hadError === undefined ? false : hadError);

const a = new net.Socket();
log('a', 'address', JSON.stringify(a.address()));
log('a', 'props', a.remoteAddress, a.remotePort, a.localPort, a.readyState, a.pending,
  a.connecting, a.destroyed, a.bytesRead, a.bytesWritten, a.bufferSize);
a.on('error', (err) => log('a', 'error', err));
a.on('close', (hadError) => log('a', 'close', hadErr(hadError)));
log('a', 'write returns', a.write('x', (err) => log('a', 'write callback', err)));

const b = new net.Socket();
b.on('finish', () => log('b', 'finish'));
b.on('error', (err) => log('b', 'error', err));
b.on('close', (hadError) => log('b', 'close', hadErr(hadError)));
log('b', 'end returns socket', b.end(() => log('b', 'end callback')) === b);

const c = new net.Socket();
c.on('close', (hadError) => log('c', 'close', hadErr(hadError), c.destroyed));
log('c', 'destroy returns socket', c.destroy() === c, c.destroyed);

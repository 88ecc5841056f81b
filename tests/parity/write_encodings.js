'use strict';
// write(string, encoding) and end(string, encoding) in each of Node's encodings: the bytes the
// peer receives.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer((c) => {
  const chunks = [];
  c.on('data', (d) => chunks.push(d));
  c.on('end', () => {
    log('s', 'received', Buffer.concat(chunks).toString('hex'));
    server.close();
  });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.write('é€', 'utf8');
    c.write('é', 'latin1');
    c.write('é', 'binary');
    c.write('abc', 'ascii');
    c.write('00ff10', 'hex');
    c.write('aGk=', 'base64');
    c.write('hé', 'ucs2');
    c.write('hé', 'utf16le');
    c.write(Buffer.from([1, 2]));
    c.write(new Uint8Array([3, 4]));
    c.end('ZW5k', 'base64');
  });
  c.on('finish', () => log('c', 'finish', c.bytesWritten));
});

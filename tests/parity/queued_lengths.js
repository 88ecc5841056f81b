'use strict';
// What queued writes count for: writableLength and bufferSize count a string by its length
// (UTF-16 code units, whatever its encoding), bytesWritten by its bytes; while connecting,
// at ECONNREFUSED (the queued writes still counted) and at 'close'; on an open socket whose
// peer does not read; corked.
const net = require('net');
const { log, mask } = require('./_parity.js');

function lengths(tag, label, c, base = 0, written = 0) {
  const size = c.bufferSize === undefined ? undefined : c.bufferSize - base;
  log(tag, label, c.writableLength - base, size, c.bytesWritten - written);
}

const probe = net.createServer();
probe.listen(0, '127.0.0.1', () => {
  const port = probe.address().port;
  mask(port, 'PORT');
  probe.close(() => {
    const c = net.connect(port, '127.0.0.1');
    c.write('héllo');
    c.write(Buffer.from('abc'));
    c.write('ff00', 'hex');
    c.write('€€', 'utf16le');
    c.write('a😀', 'utf8');
    lengths('a', 'connecting', c);
    c.on('error', (err) => {
      log('a', 'error', err.code);
      lengths('a', 'at error', c);
    });
    c.on('close', (hadError) => {
      log('a', 'close', hadError);
      lengths('a', 'at close', c);
    });
  });
});

let peer;
let client;
let ready = 0;
const server = net.createServer({ pauseOnConnect: true }, (s) => {
  peer = s;
  s.on('error', () => {});
  bothOpen();
});
server.listen(0, '127.0.0.1', () => {
  client = net.connect(server.address().port, '127.0.0.1', bothOpen);
});

function bothOpen() {
  if (++ready < 2) return;
  const c = client;
  let n = 0;
  while (c.write(Buffer.alloc(65536)) && n < 2000) n++;
  log('b', 'blocked', n < 2000);
  const base = c.writableLength;
  const written = c.bytesWritten;
  for (const [text, encoding] of [['héllo', 'utf8'], ['€€', 'utf16le'], ['ff00', 'hex'],
    ['aGk=', 'base64'], ['ÿé', 'latin1'], ['😀', 'ucs2'], ['x😀', 'utf8']]) {
    log('b', 'write', text, encoding, c.write(text, encoding));
    lengths('b', 'queued', c, base, written);
  }
  c.cork();
  c.write('é');
  lengths('b', 'corked', c, base, written);
  c.uncork();
  c.end('😀😀');
  lengths('b', 'ending', c, base, written);
  c.destroy();
  log('b', 'destroyed', c.bufferSize);
  peer.destroy();
  server.close();
}

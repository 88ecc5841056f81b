'use strict';
// Interop half (not a parity pair): a client that sends 64 MiB, half-closes, and checksums
// what it receives. See tests/test_parity.py.
const net = require('net');
const crypto = require('crypto');
const MIB = 1024 * 1024;
const COUNT = 64;
const block = Buffer.alloc(MIB);
for (let i = 0; i < MIB; i++) block[i] = (i * 7 + 1 + (i >> 10)) & 0xff;

function pump(sock, count, done) {
  let n = 0;
  function go() {
    while (n < count) {
      n++;
      if (!sock.write(block)) { sock.once('drain', go); return; }
    }
    done();
  }
  go();
}

const sock = net.connect(Number(process.argv[2]), '127.0.0.1', () => {
  pump(sock, COUNT, () => sock.end());
});
const hash = crypto.createHash('sha256');
let received = 0;
sock.on('data', (d) => { received += d.length; hash.update(d); });
sock.on('end', () => {
  console.log(`client received ${received} ${hash.digest('hex')}`);
  console.log('client end');
});
sock.on('finish', () => console.log('client finish'));
sock.on('close', (hadError) => console.log(`client close ${hadError}`));

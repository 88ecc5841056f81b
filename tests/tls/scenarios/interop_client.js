'use strict';
// Interop half (Node 24): a TLS client that sends SIZE bytes (honouring back-pressure),
// ends, and prints how much it received and its sha256.
const tls = require('tls');
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const D = process.env.TWNET_CERTS;
const SIZE = Number(process.env.TWNET_TLS_SIZE);
function payload(seed) {
  const b = Buffer.alloc(SIZE);
  for (let i = 0; i < SIZE; i++) b[i] = (i * seed + (i >> 13)) & 0xff;
  return b;
}
const sock = tls.connect({port: Number(process.argv[2]), host: '127.0.0.1', servername: 'localhost', allowHalfOpen: true,
  ca: fs.readFileSync(path.join(D, 'ca.pem'))}, () => {
  const data = payload(13);
  let off = 0;
  (function more() {
    while (off < data.length) {
      const chunk = data.subarray(off, off + 65536);
      off += chunk.length;
      if (!sock.write(chunk)) { sock.once('drain', more); return; }
    }
    sock.end();
  })();
});
const hash = crypto.createHash('sha256');
let n = 0;
sock.on('data', (d) => { n += d.length; hash.update(d); });
sock.on('end', () => console.log(`client received ${n} ${hash.digest('hex')}`));
sock.on('error', (e) => console.log(`client error ${e.code}`));
sock.on('close', (h) => console.log(`client close ${h}`));

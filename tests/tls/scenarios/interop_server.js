'use strict';
// Interop half (Node 24): a TLS server taking one connection; it sends SIZE bytes (honouring
// back-pressure), ends, and prints how much it received and its sha256.
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
function send(sock, data, done) {
  let off = 0;
  (function more() {
    while (off < data.length) {
      const chunk = data.subarray(off, off + 65536);
      off += chunk.length;
      if (!sock.write(chunk)) { sock.once('drain', more); return; }
    }
    done();
  })();
}
const server = tls.createServer({
  allowHalfOpen: true,
  key: fs.readFileSync(path.join(D, 'server.key')),
  cert: fs.readFileSync(path.join(D, 'server.pem')),
}, (sock) => {
  const hash = crypto.createHash('sha256');
  let n = 0;
  sock.on('data', (d) => { n += d.length; hash.update(d); });
  sock.on('end', () => console.log(`server received ${n} ${hash.digest('hex')}`));
  sock.on('close', (h) => { console.log(`server close ${h}`); server.close(); });
  send(sock, payload(7), () => sock.end());
});
server.listen(0, '127.0.0.1', () => console.log(`port ${server.address().port}`));

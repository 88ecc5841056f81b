'use strict';
// Interop half (not a parity pair): a server that sends 64 MiB (the last MiB only after the
// client half-closed) and checksums what it receives. See tests/test_parity.py.
const net = require('net');
const crypto = require('crypto');
const MIB = 1024 * 1024;
const COUNT = 64;
const block = Buffer.alloc(MIB);
for (let i = 0; i < MIB; i++) block[i] = (i * 7 + 2 + (i >> 10)) & 0xff;

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

const server = net.createServer({ allowHalfOpen: true }, (sock) => {
  server.close();
  const hash = crypto.createHash('sha256');
  let received = 0;
  let sentAllButOne = false;
  let ended = false;
  const finishSending = () => pump(sock, 1, () => sock.end());
  sock.on('data', (d) => { received += d.length; hash.update(d); });
  sock.on('end', () => {
    console.log(`server received ${received} ${hash.digest('hex')}`);
    console.log('server end');
    ended = true;
    if (sentAllButOne) finishSending();
  });
  sock.on('finish', () => console.log('server finish'));
  sock.on('close', (hadError) => console.log(`server close ${hadError}`));
  pump(sock, COUNT - 1, () => { sentAllButOne = true; if (ended) finishSending(); });
});
server.listen(0, '127.0.0.1', () => console.log(`port ${server.address().port}`));

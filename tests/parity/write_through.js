'use strict';
// A write into an empty queue goes to the kernel at once (libuv's uv_try_write), over TCP and
// over a UNIX socket alike: its callback runs on the next tick (before a setImmediate set
// after it), writableLength is back to 0 at once, bufferSize is 0, a second 64 KiB write
// still returns true, and the peer receives every byte.
const net = require('net');
const path = require('path');
const { log, mask, TMP } = require('./_parity.js');

mask(TMP, 'TMP');
const KIB64 = 64 * 1024;

function scenario(tag, listenArg, connectArg, done) {
  const server = net.createServer((c) => {
    let total = 0;
    c.on('data', (d) => { total += d.length; });
    c.on('end', () => {
      log(tag, 'server received', total);
      c.end();
      server.close(done);
    });
  });
  server.listen(listenArg, () => {
    const c = net.connect(connectArg(server), () => {
      setImmediate(() => log(tag, 'immediate'));
      const ok = c.write('x'.repeat(100), (err) => log(tag, 'small callback', err));
      process.nextTick(() => log(tag, 'tick after write'));
      log(tag, 'small write', ok, c.writableLength, c.bufferSize);
      log(tag, 'big write 1', c.write(Buffer.alloc(KIB64, 1)), c.writableLength);
      log(tag, 'big write 2', c.write(Buffer.alloc(KIB64, 2)), c.writableLength);
      c.end(() => log(tag, 'end callback', c.bytesWritten));
    });
    c.on('close', (hadError) => log(tag, 'close', hadError));
  });
}

scenario('a-tcp', 0, (s) => ({ port: s.address().port, host: '127.0.0.1' }), () => {
  scenario('b-unix', path.join(TMP, 'wt.sock'), (s) => ({ path: s.address() }), () => {});
});

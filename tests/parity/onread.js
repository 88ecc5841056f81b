'use strict';
// The onread option: data copied into the caller's buffer, at most its size per read, and
// handed to callback(nread, buffer) with no 'data' event; a buffer function is asked for each
// next buffer; a callback returning false stops reading until resume(); pause() stops it at
// once (but, as in Node, not a _read deferred to 'connect' by a 'data' listener); 'end',
// 'close' and bytesRead as usual; an onread of another shape is ignored.
const net = require('net');
const { log } = require('./_parity.js');

const server = net.createServer((c) => {
  c.once('data', (what) => {
    if (String(what) === 'slow') {
      c.write('hello ');
      setTimeout(() => c.end('world, twice over'), 50);
    } else {
      c.end('hello world, twice over');
    }
  });
});

function client(tag, onread, ask, done) {
  const c = net.connect({ port: server.address().port, host: '127.0.0.1', onread });
  c.on('data', (d) => log(tag, 'data', d));
  c.on('end', () => log(tag, 'end', c.bytesRead));
  c.on('close', (hadError) => { log(tag, 'close', hadError); done(c); });
  c.on('connect', () => c.write(ask || 'go'));
  return c;
}

server.listen(0, () => {
  const fixed = Buffer.alloc(4);
  let n = 0;
  client('a fixed', { buffer: fixed, callback: (nread, buf) => {
    log('a fixed', 'read', nread, buf === fixed, buf.toString('latin1', 0, nread));
  } }, null, () => {
    let made = 0;
    client('b function', { buffer: () => { made++; return Buffer.alloc(5 + made); }, callback: (nread, buf) => {
      log('b function', 'read', nread, buf.length, made, buf.toString('latin1', 0, nread));
    } }, null, () => {
      let c;
      let reads = 0;
      c = client('c false pauses', { buffer: Buffer.alloc(8), callback: (nread, buf) => {
        reads++;
        log('c false pauses', 'read', nread, buf.toString('latin1', 0, nread), c.isPaused());
        if (reads === 1) {
          setTimeout(() => {
            log('c false pauses', 'resume after', reads);
            c.resume();
          }, 100);
          return false;
        }
        return reads === 2 ? 0 : undefined;  // only false pauses
      } }, null, () => {
        let d;
        d = client('d pause', { buffer: Buffer.alloc(64), callback: (nread, buf) => {
          log('d pause', 'read', nread, buf.toString('latin1', 0, nread));
        } }, 'slow', () => {
          client('e bad shapes ignored', { buffer: 'x', callback: () => log('e', 'never') }, null, () => {
            client('f bad callback ignored', { buffer: Buffer.alloc(4), callback: 5 }, null, () => {
              const g = net.connect({ port: server.address().port, host: '127.0.0.1', onread: {
                buffer: Buffer.alloc(64), callback: (nread) => log('g paused at connect', 'read', nread),
              } });
              g.on('connect', () => { g.write('go'); g.pause(); });
              g.on('end', () => log('g paused at connect', 'end'));
              g.on('close', () => server.close());
              setTimeout(() => { log('g paused at connect', 'resume'); g.resume(); }, 100);
            });
          });
        });
        d.once('connect', () => {
          d.pause();
          log('d pause', 'paused', d.isPaused());
          setTimeout(() => { log('d pause', 'resume'); d.resume(); }, 150);
        });
      });
    });
  });
});

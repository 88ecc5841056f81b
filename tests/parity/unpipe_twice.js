'use strict';
// A socket piped twice to the same destination writes each chunk twice; unpipe(dest) removes
// one of the two pipes (and its listeners), a second unpipe(dest) the other, then the source
// stops flowing and keeps what arrives.
const net = require('net');
const { log } = require('./_parity.js');

let feed; // server side of the source connection: writes into src
let received = ''; // what the server side of the destination connection got
let expect = 0;
let next = null;

function counts(label, src, dest) {
  log('s', label, src.listenerCount('data'), src.listenerCount('end'),
    dest.listenerCount('unpipe'), dest.listenerCount('error'), dest.listenerCount('close'),
    dest.listenerCount('finish'), src.readableFlowing);
}

function send(text, total, then) {
  expect = total;
  next = then;
  feed.write(text);
}

const server = net.createServer((c) => {
  if (!feed) {
    feed = c;
    return;
  }
  c.setEncoding('utf8');
  c.on('data', (d) => {
    received += d;
    if (received.length === expect && next) {
      const then = next;
      next = null;
      log('s', 'received', received);
      then();
    }
  });
});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const src = net.connect(port, '127.0.0.1', () => {
    const dest = net.connect(port, '127.0.0.1', () => {
      src.pipe(dest);
      src.pipe(dest);
      counts('piped twice', src, dest);
      send('one', 6, () => {
        src.unpipe(dest);
        counts('unpiped once', src, dest);
        send('two', 9, () => {
          src.unpipe(dest);
          counts('unpiped twice', src, dest);
          src.once('readable', () => {
            log('s', 'src buffered', src.readableLength, received);
            src.destroy();
            dest.destroy();
            feed.destroy();
            server.close();
          });
          feed.write('three');
        });
      });
    });
  });
});

'use strict';
// After destroy(), 'close' comes on a later turn of the loop: after the nextTick callbacks
// queued right after destroy(), after the ERR_STREAM_DESTROYED callbacks of writes made after
// it (and the ticks they queue), after the immediates; before a timer set then. The same for
// a peer's reset, an end(), and a socket that never connected.
const net = require('net');
const { log } = require('./_parity.js');

function watch(tag, s, after) {
  s.on('error', (err) => {
    log(tag, 'error', err.message);
    process.nextTick(() => log(tag, 'tick queued by error'));
  });
  s.on('close', (hadError) => {
    log(tag, 'close', hadError === true);
    process.nextTick(() => log(tag, 'tick queued by close'));
    if (after) after();
  });
}

function destroyNow(tag, c, error) {
  c.destroy(error);
  process.nextTick(() => log(tag, 'tick 1'));
  log(tag, 'write', c.write('x', (err) => {
    log(tag, 'write callback', err.code);
    process.nextTick(() => log(tag, 'tick queued by write callback'));
  }));
  process.nextTick(() => log(tag, 'tick 2'));
  setImmediate(() => log(tag, 'immediate'));
  setTimeout(() => log(tag, 'timeout'), 0);
  c.end('y', (err) => log(tag, 'end callback', err.code));
  log(tag, 'sync done', c.destroyed);
}

let done = 0;
const server = net.createServer((c) => {
  c.on('error', () => {});
  c.resume();
});
function finish() {
  if (++done === 4) server.close();
}
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const a = net.connect(port, '127.0.0.1', () => {
    destroyNow('a', a);
    // from a callback of the loop's poll phase, as 'a': a socket still connecting, and one
    // that never had a connection (whose 'close' Node emits on the next tick)
    const c = net.connect(port, '127.0.0.1');
    destroyNow('c', c);
    watch('c', c, finish);
    const d = new net.Socket();
    destroyNow('d', d);
    watch('d', d, finish);
  });
  watch('a', a, finish);
  const b = net.connect(port, '127.0.0.1', () => destroyNow('b', b, new Error('boom')));
  watch('b', b, finish);
});

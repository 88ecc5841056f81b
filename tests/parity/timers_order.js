'use strict';
// Node's event-loop order: nextTick before timers and between them, equal timeouts in the
// order set, setImmediate before any timer when set from an I/O callback or a timer, an
// immediate set by an immediate in the next batch, and setInterval until cleared.
const net = require('net');
const { log } = require('./_parity.js');

let n = 0;
const step = (what) => log('a', ++n, what);

setTimeout(() => step('t20'), 20);
setTimeout(() => step('t50 first'), 50);
setTimeout(() => {
  step('t50 second');
  process.nextTick(() => step('tick between timers'));
}, 50);
setTimeout(() => step('t50 third'), 50);
process.nextTick(() => step('tick from main'));
step('main');

// From a timer: immediates run before a 0 ms timeout set alongside them (whether the
// timeout or an immediate set by an immediate comes first depends on the clock: b2/b3).
setTimeout(() => {
  log('b', 'timer');
  setTimeout(() => log('b2', 'timeout 0 from timer'), 0);
  setImmediate(() => {
    log('b', 'immediate from timer');
    setImmediate(() => log('b3', 'immediate from immediate'));
    process.nextTick(() => log('b', 'tick from immediate'));
  });
  setImmediate(() => log('b', 'second immediate from timer'));
}, 20);

// From an I/O callback: the same.
const server = net.createServer((c) => c.end('x'));
server.listen(0, '127.0.0.1', () => {
  const sock = net.connect(server.address().port, '127.0.0.1');
  sock.on('data', () => {
    log('c', 'data');
    setTimeout(() => log('c', 'timeout 0 from I/O'), 0);
    setImmediate(() => log('c', 'immediate from I/O'));
    process.nextTick(() => log('c', 'tick from I/O'));
  });
  sock.on('close', () => server.close(() => log('c2', 'server closed')));
});

// setInterval with arguments, cleared from its own callback on the third call.
let count = 0;
const interval = setInterval((x, y) => {
  count += 1;
  log('d', 'interval', count, x, y);
  if (count === 3) clearInterval(interval);
}, 10, 'x', 'y');

// clearTimeout before it fires, and from an earlier timer of the same pass.
const never = setTimeout(() => log('e', 'never'), 1);
clearTimeout(never);
setTimeout(() => { log('e', 'clears the other'); clearTimeout(later); }, 30);
const later = setTimeout(() => log('e', 'never either'), 30);
log('e', 'cleared before', typeof never.hasRef, never.hasRef());

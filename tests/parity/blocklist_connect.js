'use strict';
// The blockList option of connect: a blocked IP literal fails with ERR_IP_BLOCKED after
// 'connectionAttempt' ('error' then 'close'); with autoSelectFamily a blocked address is a
// failed attempt and the next address is tried; every address blocked gives an
// AggregateError; a UNIX path is never checked; a bad blockList is refused at once.
const net = require('net');
const path = require('path');
const { log, mask, TMP } = require('./_parity.js');

const blocked = new net.BlockList();
blocked.addAddress('127.0.0.1');
const everything = new net.BlockList();
everything.addSubnet('::', 0, 'ipv6');

function watch(tag, sock, done) {
  for (const name of ['lookup', 'connectionAttempt', 'connectionAttemptFailed', 'connectionAttemptTimeout', 'connect']) {
    sock.on(name, (...args) => log(tag, name, ...args));
  }
  sock.on('error', (err) => {
    log(tag, 'error', err, err instanceof Error, (err.errors || []).map((e) => e.message).join(' / '));
  });
  sock.on('close', (hadError) => {
    const tried = sock.autoSelectFamilyAttemptedAddresses;
    log(tag, 'close', hadError, tried ? `[${tried.join(', ')}]` : null);
    done();
  });
}

function attempt(what, fn) {
  try {
    fn();
    log(what, 'no error');
  } catch (err) {
    log(what, err instanceof TypeError ? 'TypeError' : 'Error', err);
  }
}
attempt('bad blockList', () => net.connect({ port: 1, blockList: {} }));
attempt('bad blockList server', () => net.createServer({ blockList: [] }));
attempt('falsy blockList', () => net.connect({ port: 1, host: '127.0.0.1', blockList: 0 }).destroy());

const server = net.createServer((c) => c.end('hi'));
server.listen(0, '::', () => {
  const port = server.address().port;
  mask(port, 'PORT');
  const unix = net.createServer((c) => c.end('unix')).listen(path.join(TMP, 's.sock'), () => {
    let left = 4;
    const done = () => { if (--left === 0) { server.close(); unix.close(); } };
    const a = net.connect({ port, host: '127.0.0.1', blockList: blocked });
    log('a', 'blockList kept', a.blockList === blocked);
    watch('a', a, done);
    const lookup = (host, opts, cb) => setTimeout(cb, 0, null, [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }]);
    const b = net.connect({ port, host: 'dual.test', lookup, blockList: blocked });
    watch('b', b, () => { done(); });
    b.on('data', (d) => log('b', 'data', d));
    const c = net.connect({ port, host: 'dual.test', lookup, blockList: everything });
    watch('c', c, done);
    const d = net.connect({ path: path.join(TMP, 's.sock'), blockList: everything });
    watch('d', d, done);
    d.on('data', (x) => log('d', 'data', x));
  });
});

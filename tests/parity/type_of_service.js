'use strict';
// setTypeOfService/getTypeOfService and the typeOfService option: validation errors, the
// value kept before connecting, EBADF between connect() and the attempt (and during a look-up),
// IP_TOS on IPv4, IPV6_TCLASS on IPv6 and dual-stack sockets, Linux's ECN bits, accepted
// sockets, the last value kept after close, a UNIX socket keeping the value.
const net = require('net');
const path = require('path');
const { log, TMP } = require('./_parity.js');

function kind(err) {
  return err instanceof RangeError ? 'RangeError' : err instanceof TypeError ? 'TypeError' : 'Error';
}
function t(tag, what, fn) {
  try {
    log(tag, what, fn());
  } catch (err) {
    log(tag, what, kind(err), err, err.syscall);
  }
}
const s = new net.Socket();
t('a fresh', 'get', () => s.getTypeOfService());
t('a fresh', 'set 0x10 returns the socket', () => s.setTypeOfService(0x10) === s);
t('a fresh', 'get', () => s.getTypeOfService());
for (const v of [-1, 256, 1.5, '8', NaN, null, undefined, true, 2 ** 31, 255, 0]) {
  t('a fresh', `set ${String(v)}`, () => { s.setTypeOfService(v); return s.getTypeOfService(); });
}
t('b option', '300', () => new net.Socket({ typeOfService: 300 }));
t('b option', 'string', () => new net.Socket({ typeOfService: '3' }));
t('b option', '1.5', () => new net.Socket({ typeOfService: 1.5 }));
t('b option', '0x28', () => new net.Socket({ typeOfService: 0x28 }).getTypeOfService());

const server = net.createServer((c) => {
  t('c accepted', 'get', () => c.getTypeOfService());
  t('c accepted', 'set 0x48', () => { c.setTypeOfService(0x48); return c.getTypeOfService(); });
  c.end();
});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const c = net.connect({ port, host: '127.0.0.1', typeOfService: 0x28 });
  t('d client', 'get right after connect()', () => c.getTypeOfService());
  t('d client', 'set right after connect()', () => c.setTypeOfService(0x20));
  c.on('connect', () => {
    t('d client', 'connected get', () => c.getTypeOfService());
    t('d client', 'set 0xb8', () => { c.setTypeOfService(0xb8); return c.getTypeOfService(); });
    t('d client', 'set 0x03 (ECN bits)', () => { c.setTypeOfService(0x03); return c.getTypeOfService(); });
    t('d client', 'set 0x03 again', () => { c.setTypeOfService(0x03); return c.getTypeOfService(); });
  });
  c.resume();
  c.on('close', () => {
    t('d client', 'closed get', () => c.getTypeOfService());
    t('d client', 'closed set', () => { c.setTypeOfService(4); return c.getTypeOfService(); });
    const l = net.connect({ port, host: 'localhost', family: 4 });
    t('e lookup', 'get right after connect()', () => l.getTypeOfService());
    l.on('lookup', () => t('e lookup', 'get at lookup', () => l.getTypeOfService()));
    l.resume();
    l.on('close', () => { server.close(); ipv6(); });
  });
});

function ipv6() {
  const s6 = net.createServer((x) => {
    t('f dual accepted', 'set 0x48', () => { x.setTypeOfService(0x48); return x.getTypeOfService(); });
    x.end();
  }).listen(0, '::', () => {
    const e = net.connect({ port: s6.address().port, host: '::1', typeOfService: 0x20 }, () => {
      t('g ipv6 client', 'get', () => e.getTypeOfService());
      t('g ipv6 client', 'set 0x48', () => { e.setTypeOfService(0x48); return e.getTypeOfService(); });
    });
    e.resume();
    e.on('close', () => {
      const m = net.connect({ port: s6.address().port, host: '127.0.0.1' });
      m.resume();
      m.on('close', () => { s6.close(); unix(); });
    });
  });
}

function unix() {
  const p = path.join(TMP, 'tos.sock');
  const u = net.createServer((x) => {
    t('h unix accepted', 'get', () => x.getTypeOfService());
    x.end();
  }).listen(p, () => {
    const e = net.connect({ path: p, typeOfService: 0x20 });
    t('i unix client', 'get while connecting', () => e.getTypeOfService());
    e.on('connect', () => {
      t('i unix client', 'get', () => e.getTypeOfService());
      t('i unix client', 'set 0x48', () => { e.setTypeOfService(0x48); return e.getTypeOfService(); });
    });
    e.resume();
    e.on('close', () => u.close());
  });
}

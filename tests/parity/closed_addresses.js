'use strict';
// Addresses after close: a closed UNIX server's address() is still its path (a TCP server's is
// null); a socket's localAddress/localPort/localFamily and address() are gone once it is
// destroyed while the remote ones read before stay; resetAndDestroy() on a UNIX socket throws
// ERR_INVALID_HANDLE_TYPE and leaves the socket open.
const net = require('net');
const path = require('path');
const { log, mask, TMP } = require('./_parity.js');

mask(TMP, 'TMP');

function locals(tag, label, s) {
  log(tag, label, s.localAddress, s.localPort, s.localFamily, JSON.stringify(s.address()),
    s.remoteAddress, s.remotePort, s.remoteFamily);
}

const unix = net.createServer((c) => c.resume());
unix.listen(path.join(TMP, 'addr.sock'), () => {
  const c = net.connect(unix.address(), () => {
    try {
      c.resetAndDestroy();
      log('u', 'no throw');
    } catch (err) {
      log('u', 'throws', err, err instanceof TypeError);
    }
    log('u', 'destroyed', c.destroyed);
    c.end();
  });
  c.on('close', (hadError) => {
    log('u', 'close', hadError);
    unix.close(() => log('u', 'server closed', unix.address()));
    log('u', 'server closing', unix.address());
  });
});

const tcp = net.createServer((c) => c.resume());
tcp.listen(0, '127.0.0.1', () => {
  const c = net.connect(tcp.address().port, '127.0.0.1', () => {
    mask(c.localPort, 'LPORT');
    mask(c.remotePort, 'RPORT');
    locals('t', 'open', c);
    c.destroy();
    locals('t', 'destroyed', c);
  });
  c.on('close', () => {
    locals('t', 'close', c);
    tcp.close(() => log('t', 'server closed', tcp.address()));
  });
});

'use strict';
// Bad arguments throw at once: the error's class kind, code and message (messages compared up
// to " Received ...", where Node quotes JavaScript types and twnet Python types).
const net = require('net');
const { log } = require('./_parity.js');

function attempt(what, fn) {
  try {
    fn();
    log(what, 'no error');
  } catch (err) {
    const kind = err instanceof RangeError ? 'RangeError' : err instanceof TypeError ? 'TypeError' : 'Error';
    log(what, kind, err);
  }
}

attempt('connect 70000', () => net.connect(70000));
attempt('connect -1', () => net.connect(-1));
attempt('connect no args', () => net.connect());
attempt('connect empty options', () => net.connect({}));
attempt('connect port object', () => net.connect({ port: {} }));
attempt('listen 65536', () => net.createServer().listen(65536));
attempt('listen -1', () => net.createServer().listen(-1));
attempt('listen options without port', () => net.createServer().listen({ host: 'localhost' }));
attempt('setTimeout string', () => new net.Socket().setTimeout('10'));
attempt('setTimeout negative', () => new net.Socket().setTimeout(-5));
attempt('setTimeout bad callback', () => new net.Socket().setTimeout(10, 'x'));
attempt('write number', () => new net.Socket().write(5));
attempt('write null', () => new net.Socket().write(null));
attempt('unknown encoding', () => new net.Socket().write('x', 'no-such-encoding'));
attempt('setEncoding bad', () => new net.Socket().setEncoding('no-such-encoding'));
attempt('connect bad host', () => net.connect({ port: 80, host: 5 }));
attempt('connect bad localAddress', () => net.connect({ port: 80, localAddress: 'nope' }));
attempt('maxConnections', () => { net.createServer().maxConnections = 'x'; });

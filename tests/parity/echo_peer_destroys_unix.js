'use strict';
// The spec's echo server (write 'hello\r\n', pipe the socket to itself) when the client reads
// its echo and then destroys its socket (a full close, as telnet or nc do): the server sees
// 'end', finishes and closes without an error. Over a UNIX socket.
const net = require('net');
const path = require('path');
const { log, TMP } = require('./_parity.js');

const sockPath = path.join(TMP, 'echo.sock');

let accepted = 0;
const server = net.createServer((c) => {
  const tag = `s${++accepted}`;
  c.write('hello\r\n');
  c.pipe(c);
  c.on('end', () => log(tag, 'end'));
  c.on('finish', () => log(tag, 'finish'));
  c.on('error', (err) => log(tag, 'error', err));
  c.on('close', (hadError) => {
    log(tag, 'close', hadError);
    if (++closed === N) server.close();
  });
});
let closed = 0;
const N = 10;
server.listen(sockPath, () => {
  for (let i = 0; i < N; i++) {
    const c = net.connect(sockPath);
    let got = '';
    c.on('data', (d) => {
      got += d;
      if (got === 'hello\r\n') c.write('x');
      if (got === 'hello\r\nx') c.destroy();
    });
    c.on('close', (hadError) => log('c', 'close', hadError));
  }
});

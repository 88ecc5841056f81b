// Node's echo server, as the spec writes it (net.createServer + c.pipe(c)), without the
// 'hello' greeting and the console.log lines, so the load generator can check every byte.
//   node echo_server.js [pipe|data] [PORT]   prints the port it listens on (127.0.0.1).
'use strict';
const net = require('net');
const kind = process.argv[2] || 'pipe';
const port = Number(process.argv[3] || 0);
const server = net.createServer((c) => {
  if (kind === 'data') {
    c.on('data', (chunk) => c.write(chunk));
  } else {
    c.pipe(c);
  }
});
server.listen(port, '127.0.0.1', 511, () => {
  process.stdout.write(`${server.address().port}\n`);
});

'use strict';
// setEncoding('utf8') with a multi-byte character split across two TCP segments: one whole
// string; setEncoding('hex') and 'latin1' on other sockets. The server sends the second part only
// once the client has read the first and said so, so the split never depends on timing.
const net = require('net');
const { log } = require('./_parity.js');

const euro = Buffer.from('a€b', 'utf8'); // 61 e2 82 ac 62
const server = net.createServer((c) => {
  c.setNoDelay(true);
  c.write(euro.subarray(0, 2));
  c.once('data', () => c.end(euro.subarray(2)));
});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  let done = 0;
  const finish = () => { if (++done === 3) server.close(); };
  for (const enc of ['utf8', 'hex', 'latin1']) {
    const c = net.connect(port, '127.0.0.1');
    const ret = c.setEncoding(enc);
    log(enc, 'setEncoding returns socket', ret === c, c.readableEncoding);
    const chunks = [];
    c.on('data', (d) => chunks.push(JSON.stringify(d)));
    c.once('data', () => c.write('k'));
    c.on('end', () => { log(enc, 'data', typeof chunks[0], chunks.join(' + ')); finish(); });
  }
});

'use strict';
// setEncoding edge cases: an incomplete UTF-8 sequence at the end of the stream (flushed as
// U+FFFD before 'end'), and base64 across a segment boundary (whole 3-byte groups only, the
// rest at the end).
const net = require('net');
const { log } = require('./_parity.js');

const plans = {
  utf8: [Buffer.from('a'), Buffer.from([0xe2, 0x82])],
  base64: [Buffer.from('ab'), Buffer.from('cd')],
};
const server = net.createServer((c) => {
  c.setNoDelay(true);
  c.once('data', (d) => {
    const plan = plans[d.toString()];
    c.write(plan[0]);
    setTimeout(() => c.end(plan[1]), 50);
  });
});
server.listen(0, '127.0.0.1', () => {
  let done = 0;
  for (const enc of Object.keys(plans)) {
    const c = net.connect(server.address().port, '127.0.0.1', () => c.write(enc));
    c.setEncoding(enc);
    c.on('data', (d) => log(enc, 'data', JSON.stringify(d)));
    c.on('end', () => { log(enc, 'end'); if (++done === 2) server.close(); });
  }
});

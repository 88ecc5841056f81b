'use strict';
// The blockList option of createServer: a blocked peer is disconnected as soon as it is
// accepted (it sees 'connect' then 'end'), the server emits neither 'connection' nor 'drop'
// and counts no connection; IPv4 rules match IPv4-mapped peers of a dual-stack server and
// IPv4-mapped rules match peers of an IPv4 server; other peers are served.
const net = require('net');
const { log } = require('./_parity.js');

function serve(tag, host, blockList, next) {
  const server = net.createServer({ blockList }, (c) => {
    log(tag, 'connection', c.remoteFamily);
    c.end('welcome');
  });
  server.on('drop', () => log(tag, 'drop'));
  log(tag, 'blockList kept', server.blockList === blockList);
  server.listen(0, host, () => next(server, server.address().port));
}

function client(tag, port, host, done) {
  const c = net.connect({ port, host });
  c.on('connect', () => log(tag, 'connect'));
  c.on('data', (d) => log(tag, 'data', d));
  c.on('end', () => log(tag, 'end'));
  c.on('error', (err) => log(tag, 'error', err.code));
  c.on('close', (hadError) => { log(tag, 'close', hadError); done(); });
}

const v4rule = new net.BlockList();
v4rule.addAddress('127.0.0.1');
serve('dual', '::', v4rule, (server, port) => {
  client('dual blocked 127.0.0.1', port, '127.0.0.1', () => {
    server.getConnections((err, n) => log('dual', 'connections after the blocked peer', err, n));
    client('dual allowed ::1', port, '::1', () => {
      server.close(() => log('dual', 'closed'));
      const mappedRule = new net.BlockList();
      mappedRule.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');
      serve('v4', '127.0.0.1', mappedRule, (s4, p4) => {
        client('v4 blocked 127.0.0.1', p4, '127.0.0.1', () => s4.close(() => log('v4', 'closed')));
      });
    });
  });
});

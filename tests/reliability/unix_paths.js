// connect() and listen() on hostile UNIX paths under Node 24: a regular file, a stale socket
// file (bound, then closed: nobody listens), a directory. argv[2] is a directory holding
// them (made by test_hostile.py). Prints one JSON object: case -> {connect, listen}, each the
// 'error' (code, syscall, address, message) and what followed it.
'use strict';
const net = require('net');
const path = require('path');

const dir = process.argv[2];
const CASES = ['file', 'stale.sock', 'directory'];

function describe(err) {
  return { code: err.code, syscall: err.syscall, address: err.address, message: err.message };
}

function tryConnect(p) {
  return new Promise((resolve) => {
    const out = { events: [] };
    const sock = net.connect(p, () => out.events.push('connect'));
    sock.on('error', (err) => { out.error = describe(err); out.events.push('error'); });
    sock.on('close', (hadError) => { out.events.push(`close ${hadError}`); resolve(out); });
  });
}

function tryListen(p) {
  return new Promise((resolve) => {
    const out = { events: [] };
    const server = net.createServer();
    server.on('error', (err) => {
      out.error = describe(err);
      out.events.push(`error listening=${server.listening}`);
      setImmediate(() => resolve(out));
    });
    server.listen(p, () => { out.events.push('listening'); server.close(() => resolve(out)); });
  });
}

async function main() {
  const results = {};
  for (const name of CASES) {
    const p = path.join(dir, name);
    results[name] = { connect: await tryConnect(p), listen: await tryListen(p) };
  }
  console.log(JSON.stringify(results));
}

main();

// destroy() called from inside each listener and callback of a client socket, under Node 24.
// Prints one JSON object: case name -> the client's events in order (test_destroy_in_listener.py
// runs the same cases in twnet and compares).
'use strict';
const net = require('net');

const CASES = ['lookup', 'connect', 'ready', 'data', 'end', 'finish',
  'drain', 'timeout', 'error', 'close', 'writeCallback', 'endCallback'];

function runCase(name, port, closedPort) {
  return new Promise((resolve) => {
    const log = [];
    const target = name === 'error' ? closedPort : port;
    const options = name === 'lookup'
      ? { host: 'localhost', port: target, family: 4 }
      : { host: '127.0.0.1', port: target };
    const client = net.connect(options);
    const cb = (tag) => (err) => log.push(`${tag} ${err ? err.code : null}`);
    const destroyIn = (event) => () => {
      log.push(`${event}: destroy`);
      client.destroy();
    };
    for (const event of ['lookup', 'connectionAttempt', 'connect', 'ready', 'data', 'end',
      'finish', 'drain', 'timeout']) {
      client.on(event, event === name ? destroyIn(event) : () => log.push(event));
    }
    client.on('error', (err) => {
      log.push(`error ${err.code}`);
      if (name === 'error') destroyIn('error')();
    });
    client.on('close', (hadError) => {
      log.push(`close ${hadError === true}`);
      if (name === 'close') destroyIn('close')();
      setImmediate(() => setImmediate(() => resolve(log)));
    });
    client.write('first', cb('write1'));
    if (name === 'timeout') client.setTimeout(20);
    if (name === 'finish') client.end('last', cb('end'));
    if (name === 'writeCallback') {
      client.write('second', (err) => { log.push(`write2 ${err ? err.code : null}`); destroyIn('write2')(); });
    }
    if (name === 'endCallback') {
      client.end('last', (err) => { log.push(`end ${err ? err.code : null}`); destroyIn('end callback')(); });
    }
    if (name === 'drain') {
      // Queued while connecting, so write() says false; the kernel takes it all at once on
      // connect, so 'drain' comes right then, before the write callbacks and 'ready'.
      const big = Buffer.alloc(client.writableHighWaterMark, 'd');
      log.push(`write big ${client.write(big, cb('write big'))}`);
    }
  });
}

// The server's side: destroy() inside the 'connection' listener or a listener or callback of
// the accepted socket; the client writes 'hello', then ends. Logs the accepted socket.
const SERVER_CASES = ['connection', 'data', 'end', 'finish', 'writeCallback', 'close'];

function runServerCase(name) {
  return new Promise((resolve) => {
    const log = [];
    const server = net.createServer((conn) => {
      const destroyIn = (event) => () => {
        log.push(`${event}: destroy`);
        conn.destroy();
      };
      for (const event of ['data', 'end', 'finish']) {
        conn.on(event, event === name ? destroyIn(event) : () => log.push(event));
      }
      conn.on('error', (err) => log.push(`error ${err.code}`));
      conn.on('close', (hadError) => {
        log.push(`close ${hadError === true}`);
        if (name === 'close') destroyIn('close')();
        server.close();
        setImmediate(() => setImmediate(() => resolve(log)));
      });
      const cb = (tag) => (err) => log.push(`${tag} ${err ? err.code : null}`);
      if (name === 'writeCallback') {
        conn.write('w', (err) => { cb('write')(err); destroyIn('write')(); });
      } else {
        conn.write('w', cb('write'));
      }
      if (name === 'finish') conn.end('e', cb('end'));
      if (name === 'connection') destroyIn('connection')();
    });
    server.listen(0, '127.0.0.1', () => {
      const client = net.connect(server.address().port, '127.0.0.1', () => client.end('hello'));
      client.on('error', () => {});
      client.on('data', () => {});
    });
  });
}

async function main() {
  const probe = net.createServer();
  await new Promise((r) => probe.listen(0, '127.0.0.1', r));
  const closedPort = probe.address().port;
  await new Promise((r) => probe.close(r));
  const server = net.createServer((conn) => {
    conn.on('error', () => {});
    conn.on('data', () => {});
    const name = server.currentCase;
    if (name === 'data') conn.write('hi');
    if (name === 'end' || name === 'close') conn.end('bye');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  const results = {};
  for (const name of CASES) {
    server.currentCase = name;
    results[name] = await runCase(name, port, closedPort);
  }
  server.close();
  for (const name of SERVER_CASES) results[`server ${name}`] = await runServerCase(name);
  console.log(JSON.stringify(results));
}

main();

'use strict';
// Symbol.asyncDispose (`await using`): a socket not ended is destroyed with AbortError, one
// whose readable side ended is destroyed without error (a half-open one then fails with
// ERR_STREAM_PREMATURE_CLOSE), one destroyed with an error fails with it; a server closes and
// the dispose waits for its close callback (so for its connections); a server not listening
// disposes at once; a Writable and a Readable of twnet.stream.
const { log } = require('./_parity');
const net = require('net');
const { Readable, Writable } = require('stream');
const { once } = require('events');

async function serve(handler) {
  const server = net.createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

async function connect(server, options) {
  const sock = net.connect({ port: server.address().port, host: '127.0.0.1', ...options });
  sock.closeEmitted = new Promise((resolve) => sock.on('close', resolve));
  await once(sock, 'connect');
  return sock;
}

async function sockets() {
  const accepted = [];
  const server = await serve((c) => { accepted.push(c); c.on('error', () => {}); if (accepted.length >= 2) c.end('bye'); });
  const sock = await connect(server);
  const errors = [];
  sock.on('error', (e) => errors.push(e));
  {
    await using s = sock;
    log('a', 'in block', s.destroyed);
  }
  log('a', 'after block', sock.destroyed, sock.errored, errors.length);
  await sock.closeEmitted;
  log('a', 'errors after close', errors.length, errors[0]);

  const sock2 = await connect(server);
  await once(sock2.resume(), 'end');
  await new Promise((resolve) => setImmediate(resolve)); // the socket's reaction to 'end' first
  try {
    await sock2[Symbol.asyncDispose]();
    log('b', 'ended socket disposed', sock2.destroyed, sock2.errored);
  } catch (err) { log('b', 'ended socket dispose failed', err); }
  await sock2.closeEmitted;

  const sock3 = await connect(server, { allowHalfOpen: true });
  await once(sock3.resume(), 'end');
  await new Promise((resolve) => setImmediate(resolve));
  try {
    await sock3[Symbol.asyncDispose]();
    log('c', 'half-open socket disposed', sock3.destroyed);
  } catch (err) { log('c', 'half-open socket dispose failed', err, sock3.destroyed); }
  await sock3.closeEmitted;

  const sock4 = await connect(server);
  sock4.on('error', () => {});
  sock4.destroy(new Error('earlier'));
  try {
    await sock4[Symbol.asyncDispose]();
    log('d', 'destroyed socket disposed');
  } catch (err) { log('d', 'destroyed socket dispose failed', err); }
  await sock4.closeEmitted;
  for (const c of accepted) c.destroy();
  server.close();
}

async function servers() {
  const order = [];
  const server = await serve(() => {});
  server.on('close', () => order.push('close event'));
  {
    await using s = server;
    order.push('in block ' + s.listening);
  }
  order.push('after block ' + server.listening);
  log('e', order.join(', '));

  const idle = net.createServer();
  await idle[Symbol.asyncDispose]();
  log('f', 'never listened: disposed', idle.listening, idle.listenerCount('close'));
  const closed = await serve(() => {});
  closed.close();
  await closed[Symbol.asyncDispose]();
  log('f', 'closed: disposed');

  let accepted;
  const busy = await serve((c) => { accepted = c; });
  const sock = await connect(busy);
  const steps = [];
  setTimeout(() => { steps.push('connection destroyed'); sock.destroy(); }, 20);
  await busy[Symbol.asyncDispose]();
  steps.push('disposed');
  log('g', steps.join(', '), accepted.destroyed);
}

async function streams() {
  const w = new Writable({ write(chunk, enc, cb) { cb(); } });
  w.on('error', (e) => log('h', 'writable error event', e.name));
  w.write('x');
  await w[Symbol.asyncDispose]();
  log('h', 'writable disposed', w.destroyed, w.errored);

  const done = new Writable({ write(chunk, enc, cb) { cb(); } });
  done.end('x');
  await once(done, 'finish');
  await done[Symbol.asyncDispose]();
  log('h', 'finished writable disposed', done.destroyed, done.errored);

  const r = new Readable({ read() {} });
  r.on('error', (e) => log('i', 'readable error event', e.name));
  await r[Symbol.asyncDispose]();
  log('i', 'readable disposed', r.destroyed, r.errored);

  const failing = new Writable({ write(chunk, enc, cb) { cb(); }, destroy(err, cb) { cb(new Error('destroy failed')); } });
  failing.on('error', () => {});
  try {
    await failing[Symbol.asyncDispose]();
    log('j', 'never');
  } catch (err) { log('j', 'dispose failed', err); }
}

async function main() {
  await sockets();
  await servers();
  await streams();
}
main();

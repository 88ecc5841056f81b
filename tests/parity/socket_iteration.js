'use strict';
// for await over a socket: chunks until 'end' (strings after setEncoding), the socket
// destroyed after the loop; break destroys it with AbortError (not with destroyOnReturn:
// false); an exception in the body destroys it too; a peer's reset raises ECONNRESET; a
// paused socket iterates; an ended or destroyed socket.
const { log } = require('./_parity');
const net = require('net');
const { once } = require('events');
const conns = new Set();

function shut(server) {
  server.close();
  for (const c of conns) c.destroy();
  conns.clear();
}

async function serve(handler) {
  const server = net.createServer((c) => { c.on('error', () => {}); conns.add(c); handler(c); });
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

async function closed(sock) {
  await sock.closeEmitted;
}

async function whole() {
  const server = await serve((c) => { c.write('hello '); c.end('world'); });
  const sock = await connect(server);
  sock.setEncoding('utf8');
  let text = '';
  let types = new Set();
  for await (const chunk of sock) { text += chunk; types.add(typeof chunk); }
  log('a', 'text', text, [...types].join(','));
  log('a', 'after loop', sock.destroyed, sock.readableEnded, sock.listenerCount('readable'), sock.errored);
  await closed(sock);
  shut(server);
}

async function breaking() {
  const server = await serve((c) => c.write('first'));
  const sock = await connect(server);
  const errors = [];
  sock.on('error', (e) => errors.push(e));
  for await (const chunk of sock) { log('b', 'chunk', chunk, Buffer.isBuffer(chunk)); break; }
  log('b', 'after break', sock.destroyed, sock.errored);
  await closed(sock);
  log('b', 'errors', errors.length, errors[0]);

  const sock2 = await connect(server);
  for await (const chunk of sock2.iterator({ destroyOnReturn: false })) { log('c', 'chunk', chunk); break; }
  log('c', 'after break', sock2.destroyed, sock2.listenerCount('readable'), sock2.listenerCount('error'));
  sock2.end('bye');
  sock2.resume();
  await once(sock2, 'finish');
  log('c', 'still writable: finished');
  sock2.destroy();
  await closed(sock2);

  const sock3 = await connect(server);
  try {
    for await (const chunk of sock3) { throw new Error('body failed ' + chunk); }
  } catch (err) { log('e', 'caught', err.message, sock3.destroyed, sock3.errored); }
  await closed(sock3);
  shut(server);
}

async function reset() {
  const server = await serve((c) => {
    c.write('x');
    c.on('data', () => c.resetAndDestroy());
  });
  const sock = await connect(server);
  try {
    for await (const chunk of sock) { log('d', 'chunk', chunk); sock.write('ack'); }
    log('d', 'never: ended');
  } catch (err) { log('d', 'raised', err.code, err.syscall, sock.destroyed); }
  await closed(sock);
  shut(server);
}

async function states() {
  const server = await serve((c) => c.end('data'));
  const sock = await connect(server);
  sock.pause();
  let text = '';
  for await (const chunk of sock) text += chunk;
  log('f', 'paused socket iterated', text, sock.destroyed);
  await closed(sock);

  const sock2 = await connect(server, { allowHalfOpen: true });
  sock2.resume();
  await once(sock2, 'end');
  let n = 0;
  for await (const chunk of sock2) n += 1;
  log('g', 'ended socket', n, sock2.destroyed, sock2.errored, sock2.listenerCount('readable'));
  sock2.end();
  await closed(sock2);
  log('g', 'closed after end()');

  const sock3 = await connect(server);
  sock3.destroy();
  try {
    for await (const chunk of sock3) log('h', 'never', chunk);
    log('h', 'destroyed socket: ended');
  } catch (err) { log('h', 'destroyed socket raised', err); }
  await closed(sock3);

  const sock4 = await connect(server);
  sock4.destroy(new Error('gone'));
  sock4.on('error', () => {});
  try {
    for await (const chunk of sock4) log('i', 'never', chunk);
    log('i', 'errored socket: ended');
  } catch (err) { log('i', 'errored socket raised', err); }
  await closed(sock4);
  shut(server);
}

async function main() {
  await whole();
  await breaking();
  await reset();
  await states();
}
main();

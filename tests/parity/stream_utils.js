'use strict';
// The stream module's small functions: addAbortSignal (an abort destroys the stream with an
// AbortError whose cause is the reason; an aborted signal at once; bad arguments),
// isErrored / isReadable through a stream's life, get/setDefaultHighWaterMark (new streams
// and sockets take the new default; bad values).
const { log } = require('./_parity');
const net = require('net');
const stream = require('stream');

const r = new stream.Readable({ read() {} });
r.on('error', (err) => log('a', 'error', err.name, err, 'cause', err.cause));
r.on('close', () => log('a', 'close', r.destroyed));
const ac = new AbortController();
log('a', 'returns the stream', stream.addAbortSignal(ac.signal, r) === r);
ac.abort('reason text');

const w = new stream.Writable({ write(c, e, cb) { cb(); } });
w.on('error', (err) => log('b', 'error', err.name));
stream.addAbortSignal(AbortSignal.abort(), w);
log('b', 'destroyed at once', w.destroyed);

for (const [name, args] of [['signal', [5, new stream.PassThrough()]], ['stream', [new AbortController().signal, {}]]]) {
  try {
    stream.addAbortSignal(...args);
  } catch (err) {
    log('c', name, err);
  }
}

const p = new stream.PassThrough();
log('d', 'fresh', stream.isErrored(p), stream.isReadable(p));
p.end('x');
p.resume();
p.on('end', () => log('d', 'ended', stream.isErrored(p), stream.isReadable(p)));
const failing = new stream.PassThrough();
failing.on('error', () => log('d', 'errored', stream.isErrored(failing), stream.isReadable(failing)));
failing.destroy(new Error('boom'));
log('d', 'not streams', stream.isErrored(5), stream.isReadable({}), stream.isErrored(null));

log('e', 'defaults', stream.getDefaultHighWaterMark(false), stream.getDefaultHighWaterMark(true));
stream.setDefaultHighWaterMark(false, 1000);
stream.setDefaultHighWaterMark(true, 3);
log('e', 'new streams', new stream.Readable().readableHighWaterMark,
  new stream.Writable({ objectMode: true }).writableHighWaterMark,
  new stream.Duplex({ readableObjectMode: true }).readableHighWaterMark,
  new net.Socket().writableHighWaterMark);
for (const bad of [-1, 1.5, NaN, '5']) {
  try {
    stream.setDefaultHighWaterMark(false, bad);
  } catch (err) {
    log('e', 'refused', err);
  }
}
log('e', 'unchanged', stream.getDefaultHighWaterMark(false), stream.getDefaultHighWaterMark('truthy'));

'use strict';
// Custom streams: subclass and constructor-option forms of Readable, Writable, Transform
// with Node's hooks; the order of hooks and events, back-pressure, _writev, _final.
const { log } = require('./_parity');
const { Readable, Writable, Transform, PassThrough } = require('stream');

class Counter extends Readable {
  constructor(opts) { super(opts); this.n = 0; }
  _read(size) {
    this.n += 1;
    log('a', '_read', size, this.n);
    if (this.n > 3) this.push(null);
    else this.push(Buffer.from('c' + this.n));
  }
}

class Sink extends Writable {
  constructor(opts) { super(opts); this.seen = []; }
  _write(chunk, encoding, callback) {
    log('b', '_write', chunk, encoding);
    process.nextTick(callback);
  }
  _writev(chunks, callback) {
    log('b', '_writev', chunks.map((c) => `${c.chunk}/${c.encoding}`).join(','));
    process.nextTick(callback);
  }
  _final(callback) {
    log('b', '_final');
    callback();
  }
  _destroy(err, callback) {
    log('b', '_destroy', err);
    callback(err);
  }
}

const a = new Counter({ highWaterMark: 4 });
const upper = new Transform({
  transform(chunk, encoding, callback) {
    log('t', 'transform', chunk, encoding);
    callback(null, chunk.toString().toUpperCase());
  },
  flush(callback) {
    log('t', 'flush');
    this.push('!');
    callback();
  },
});
const b = new Sink({ highWaterMark: 2 });
for (const ev of ['end', 'close']) a.on(ev, () => log('a', ev));
for (const ev of ['finish', 'end', 'close']) upper.on(ev, () => log('t', ev));
for (const ev of ['finish', 'close', 'drain']) b.on(ev, () => log('b', ev));
a.pipe(upper).pipe(b);

// option forms and the write side's queueing into _writev
const calls = [];
const w = new Writable({
  highWaterMark: 3,
  write(chunk, encoding, callback) {
    log('w', 'write', chunk, encoding, this === w);
    setTimeout(callback, 1);
  },
  writev(chunks, callback) {
    log('w', 'writev', chunks.length, chunks.map((c) => c.chunk.toString()).join('+'));
    setTimeout(callback, 1);
  },
  final(callback) {
    log('w', 'final');
    callback();
  },
});
log('w', 'write x', w.write('x'), w.writableLength);
log('w', 'write yy', w.write('yy'), w.writableLength);
log('w', 'write z', w.write(Buffer.from('z'), (err) => log('w', 'cb z', err)));
w.on('drain', () => log('w', 'drain'));
w.end('end', () => log('w', 'end cb'));
w.on('finish', () => log('w', 'finish'));
w.on('close', () => log('w', 'close'));

// decodeStrings: false keeps strings with their encoding
const d = new Writable({
  decodeStrings: false,
  write(chunk, encoding, callback) {
    log('x', 'write', typeof chunk, chunk, encoding);
    callback();
  },
});
d.write('héllo', 'latin1');
d.write(Buffer.from('buf'));
d.end();

// a Readable with read() as an option, and a PassThrough
const r = new Readable({
  read() {
    this.push('one');
    this.push(null);
  },
});
const p = new PassThrough();
p.on('data', (chunk) => log('y', 'data', chunk));
p.on('end', () => log('y', 'end'));
r.pipe(p);

// errors from hooks
const bad = new Writable({ write(chunk, enc, cb) { cb(new Error('boom')); } });
bad.on('error', (err) => log('z', 'error', err.message, bad.destroyed));
bad.on('close', () => log('z', 'close', bad.writableAborted));
bad.write('q', (err) => log('z', 'write cb', err && err.message));
try {
  new Transform().write('q');
} catch (err) {
  log('z2', 'thrown', err);
}
const r2 = new Readable();
r2.on('error', (err) => log('z3', 'error', err));
r2.on('close', () => log('z3', 'close'));
r2.read();

'use strict';
// pipeline(): success through a Transform, an error in the middle destroying every stream
// (with the first error), a destination closing early, and finished() on each outcome.
const { log } = require('./_parity');
const { Readable, Writable, Transform, PassThrough, pipeline, finished } = require('stream');

function source(tag, items) {
  const r = new Readable({
    read() {
      const next = items.shift();
      this.push(next === undefined ? null : next);
    },
    destroy(err, cb) { log(tag, 'src _destroy', err); cb(err); },
  });
  for (const ev of ['end', 'close']) r.on(ev, () => log(tag, 'src', ev));
  return r;
}

function sink(tag, out) {
  const w = new Writable({
    write(chunk, enc, cb) { out.push(chunk.toString()); cb(); },
    destroy(err, cb) { log(tag, 'dst _destroy', err); cb(err); },
  });
  for (const ev of ['finish', 'close']) w.on(ev, () => log(tag, 'dst', ev));
  return w;
}

// success
const out1 = [];
const up = new Transform({ transform(c, e, cb) { cb(null, c.toString().toUpperCase()); } });
up.on('close', () => log('a', 'mid close'));
const ret = pipeline(source('a', ['x', 'y', 'z']), up, sink('a', out1), (err) => {
  log('a', 'callback', err, out1.join(''));
});
log('a', 'returns destination', ret.constructor.name);

// an error in the middle: every stream destroyed, the first error reported
const out2 = [];
const failing = new Transform({
  transform(c, e, cb) {
    if (c.toString() === 'two') cb(new Error('bad chunk'));
    else cb(null, c);
  },
  destroy(err, cb) { log('b', 'mid _destroy', err && err.message); cb(err); },
});
const src2 = source('b', ['one', 'two', 'three']);
const dst2 = sink('b', out2);
pipeline(src2, failing, dst2, (err) => {
  log('b', 'callback', err.message, src2.destroyed, failing.destroyed, dst2.destroyed, out2.join(','));
});

// the destination destroyed early: premature close
const src3 = new Readable({ read() {} });
src3.push('data');
const dst3 = new PassThrough();
pipeline(src3, dst3, (err) => {
  log('c', 'callback', err, src3.destroyed);
});
dst3.on('close', () => log('c', 'dst close'));
setTimeout(() => dst3.destroy(), 5);

// a source error
const src4 = new Readable({ read() {} });
const dst4 = new PassThrough();
pipeline(src4, dst4, (err) => log('d', 'callback', err.message, dst4.destroyed));
setTimeout(() => src4.destroy(new Error('source broke')), 5);

// an iterable as the source; an array of streams
const out5 = [];
pipeline([['p', 'q'], sink('e', out5)], (err) => log('e', 'callback', err, out5.join('')));

// bad arguments
for (const args of [[], [new PassThrough()], [new PassThrough(), () => {}], [new PassThrough(), new PassThrough()]]) {
  try {
    pipeline(...args);
    log('f', 'no throw');
  } catch (err) {
    log('f', 'thrown', err);
  }
}

// finished()
const g1 = new PassThrough();
finished(g1, (err) => log('g', 'finished ended', err));
g1.end('x');
g1.resume();
const g2 = new PassThrough();
finished(g2, (err) => log('g', 'finished destroyed', err));
g2.destroy();
const g3 = new PassThrough();
finished(g3, (err) => log('g', 'finished error', err.message));
g3.destroy(new Error('g3 failed'));
const g4 = new Writable({ write(c, e, cb) { cb(); } });
finished(g4, { readable: false }, (err) => log('g', 'finished writable', err));
g4.end('w');
const g5 = new PassThrough();
g5.end();
g5.resume();
g5.on('close', () => {
  finished(g5, (err) => log('g', 'finished after close', err));
});
const g6 = new PassThrough();
const cleanup = finished(g6, () => log('g', 'never'));
cleanup();
g6.destroy();
try {
  finished(g6);
} catch (err) {
  log('g', 'thrown', err);
}

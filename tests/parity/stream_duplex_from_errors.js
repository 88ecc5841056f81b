'use strict';
// Duplex.from's unhappy paths: destroy while an async generator body waits (its signal
// aborts, its finally runs), a body that raises, a consumer leaving a generator early, an
// error on each side of a {readable, writable} pair, destroy of the Duplex and of each half,
// back-pressure through the pair, a body that never reads what is written.
const { log } = require('./_parity');
const { Duplex, Readable, Writable, PassThrough } = require('stream');

function watch(tag, s) {
  for (const name of ['end', 'finish', 'error', 'close']) s.on(name, (x) => log(tag, name, x));
}

const waiting = Duplex.from(async function* (source, { signal }) {
  signal.addEventListener('abort', () => log('a', 'signal aborted'));
  try {
    for await (const chunk of source) yield chunk;
  } finally {
    log('a', 'body finally');
  }
});
watch('a', waiting);
waiting.on('data', (c) => log('a', 'data', c));
waiting.write('1');
setImmediate(() => waiting.destroy());

const raising = Duplex.from(async function* (source) {
  for await (const chunk of source) {
    if (chunk === 'bad') throw new Error('body raised');
    yield chunk;
  }
});
watch('b', raising);
raising.on('data', (c) => log('b', 'data', c));
raising.write('ok');
raising.write('bad');
raising.write('later', (err) => log('b', 'write callback', err));

const early = Duplex.from(function* () {
  try {
    for (const item of ['p', 'q', 'r']) {
      log('c', 'step', item);
      yield item;
    }
  } finally {
    log('c', 'generator finally');
  }
}());
watch('c', early);
early.once('data', (x) => { log('c', 'data', x); early.destroy(); });

function pair(tag, r, w) {
  const d = Duplex.from({ readable: r, writable: w });
  watch(tag, d);
  r.on('close', () => log(tag, 'readable half close', r.errored));
  w.on('close', () => log(tag, 'writable half close', w.errored));
  return d;
}

const dr = new PassThrough();
const d1 = pair('d', dr, new PassThrough());
d1.on('data', (c) => log('d', 'data', String(c)));
dr.write('from r');
setImmediate(() => dr.destroy(new Error('readable half failed')));

const d2 = pair('e', new PassThrough(), new Writable({ write(c, e, cb) { cb(new Error('writable half failed')); } }));
d2.write('x', (err) => log('e', 'write callback', err));

pair('f', new PassThrough(), new PassThrough()).destroy();

const hr = new PassThrough();
pair('g', hr, new PassThrough());
hr.destroy();

const iw = new PassThrough();
pair('h', new PassThrough(), iw);
iw.destroy();

const slow = new Writable({
  highWaterMark: 2,
  write(c, e, cb) { log('i', 'slow write', String(c)); setImmediate(cb); },
});
const ir = new PassThrough();
const d3 = pair('i', ir, slow);
log('i', 'write returns', d3.write('aaaa'), d3.write('b'), 'writableLength', d3.writableLength);
d3.end();
ir.end();
d3.resume();

const deaf = Duplex.from(async function* () { yield 'j1'; yield 'j2'; });
watch('j', deaf);
deaf.on('data', (c) => log('j', 'data', c));
deaf.write('ignored', (err) => log('j', 'write callback', err));

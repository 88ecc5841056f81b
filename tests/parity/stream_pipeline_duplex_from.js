'use strict';
// pipeline() stages that Node makes with Duplex.from: a {readable} pair as the source, a
// {readable, writable} pair as the source (its readable side is pumped on), a Duplex.from
// function in the middle, a {writable} pair as the last stage (it replaces the stream before
// it: nothing is piped), a Writable source into a list; the signal option aborting a
// Duplex.from body; a last function stage that is an async function (its value goes to the
// callback and to the promise).
const { log } = require('./_parity');
const { Readable, Writable, PassThrough, pipeline, Duplex } = require('stream');
const promises = require('stream/promises');

function sink(tag) {
  const got = [];
  const w = new Writable({ objectMode: true, write(c, e, cb) { got.push(String(c)); cb(); } });
  w.on('finish', () => log(tag, 'sink finish', got.join()));
  return w;
}

pipeline({ readable: Readable.from(['p1', 'p2']) }, sink('a'), (err) => log('a', 'callback', err));

const pairWritable = new PassThrough({ objectMode: true });
pairWritable.on('data', (c) => log('b', 'pair writable got', c));
pipeline({ readable: Readable.from(['t1', 't2']), writable: pairWritable }, sink('b'),
  (err) => log('b', 'callback', err));

pipeline(
  Readable.from(['c1', 'c2']),
  Duplex.from(async function* (source) { for await (const c of source) yield c + '!'; }),
  sink('c'),
  (err) => log('c', 'callback', err),
);

const got = [];
const target = new Writable({ objectMode: true, write(c, e, cb) { got.push(c); cb(); } });
target.on('finish', () => log('d', 'target finish', got.join()));
const last = pipeline(Readable.from(['d1']), { writable: target }, (err) => log('d', 'callback', err));
log('d', 'returned', last instanceof Duplex, last.writable, last.readable);
setImmediate(() => log('d', 'nothing piped', got.length, target.writableFinished));

const lone = new Writable({ write(c, e, cb) { cb(); } });
const ret = pipeline(lone, [], (err) => log('e', 'callback', err));
log('e', 'returned', ret instanceof Duplex, ret.readable, ret.writable);
setImmediate(() => log('e', 'destroyed', lone.destroyed, ret.destroyed));

const ac = new AbortController();
let bodySignal;
promises.pipeline(
  Readable.from(['f1', 'f2', 'f3']),
  Duplex.from(async function* (source, { signal }) {
    bodySignal = signal;
    for await (const c of source) yield c;
  }),
  new Writable({
    objectMode: true,
    write(c, e, cb) { log('f', 'write', c); if (c === 'f1') ac.abort(); cb(); },
  }),
  { signal: ac.signal },
).then(() => log('f', 'resolved'), (err) => log('f', 'rejected', err, 'body signal aborted', bodySignal.aborted));

async function total(source) {
  let sum = 0;
  for await (const n of source) sum += n;
  return sum;
}
pipeline(Readable.from([1, 2, 3]), total, (err, value) => log('g', 'callback', err, value));
promises.pipeline(Readable.from([4, 5]), total).then((value) => log('g2', 'resolved', value));
try {
  pipeline(Readable.from([1]), () => 42, () => {});
} catch (err) {
  log('h', 'thrown', err.code);
}

'use strict';
// Duplex.from(body) for each kind of body: a Duplex (itself), a Readable, a Writable, an
// iterable, a string, a Promise (value, null, rejection), an async generator function
// (a transform of what is written), an async function (a consumer), a {readable, writable}
// pair, and the values it refuses.
const { log } = require('./_parity');
const { Duplex, Readable, Writable, PassThrough } = require('stream');

function watch(tag, s) {
  for (const name of ['end', 'finish', 'error', 'close']) s.on(name, (x) => log(tag, name, x));
}
function sides(tag, d) {
  log(tag, 'readable', d.readable, 'writable', d.writable, 'objectMode', d.readableObjectMode,
    d.writableObjectMode, 'hwm', d.readableHighWaterMark, d.writableHighWaterMark);
}

const p = new PassThrough();
log('a', 'a Duplex is itself', Duplex.from(p) === p);

const r = Readable.from(['r1', 'r2']);
const fromReadable = Duplex.from(r);
sides('b', fromReadable);
watch('b', fromReadable);
fromReadable.on('data', (c) => log('b', 'data', c));
r.on('close', () => log('b', 'source close'));

const w = new Writable({ write(c, e, cb) { log('c', 'written', c); cb(); } });
const fromWritable = Duplex.from(w);
sides('c', fromWritable);
watch('c', fromWritable);
w.on('finish', () => log('c', 'target finish'));
fromWritable.write('abc');
fromWritable.end('z');

const fromList = Duplex.from(['x', 'y']);
sides('d', fromList);
watch('d', fromList);
fromList.on('data', (c) => log('d', 'data', c));

const fromString = Duplex.from('hello');
fromString.on('data', (c) => log('e', 'data', typeof c, c));
watch('e', fromString);

const fromPromise = Duplex.from(Promise.resolve('val'));
sides('f', fromPromise);
watch('f', fromPromise);
fromPromise.on('data', (c) => log('f', 'data', c));
const fromNull = Duplex.from(Promise.resolve(null));
watch('f2', fromNull);
fromNull.resume();
const fromRejection = Duplex.from(Promise.reject(new Error('rejected')));
watch('f3', fromRejection);

const upper = Duplex.from(async function* (source, options) {
  log('g', 'signal aborted', options.signal.aborted);
  for await (const chunk of source) yield String(chunk).toUpperCase();
  log('g', 'source ended');
});
sides('g', upper);
watch('g', upper);
upper.on('data', (c) => log('g', 'data', c));
upper.write('a', () => log('g', 'write callback'));
upper.write('b');
upper.end();

const got = [];
const consumer = Duplex.from(async function (source) {
  for await (const chunk of source) got.push(String(chunk));
  log('h', 'consumed', got.join(','));
});
sides('h', consumer);
watch('h', consumer);
consumer.write('p');
consumer.end('q');

const pr = new PassThrough();
const pw = new PassThrough();
const fromPair = Duplex.from({ readable: pr, writable: pw });
sides('i', fromPair);
watch('i', fromPair);
fromPair.on('data', (c) => log('i', 'data', String(c)));
pw.on('data', (c) => log('i', 'target got', String(c)));
fromPair.end('to w');
pr.end('from r');

const listPair = Duplex.from({ readable: ['k1', 'k2'] });
sides('j', listPair);
listPair.on('data', (c) => log('j', 'data', c));
watch('j', listPair);

const nullPair = Duplex.from({ readable: null });
sides('k', nullPair);

for (const [name, bad] of [['null', null], ['number', 5], ['object', {}], ['bad pair', { readable: 5 }], ['boolean', true]]) {
  try {
    Duplex.from(bad);
    log('l', name, 'accepted');
  } catch (err) {
    log('l', name, err.name, err);
  }
}
try {
  Duplex.from(() => 42);
} catch (err) {
  log('l', 'function returning 42', err.code);
}

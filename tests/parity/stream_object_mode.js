'use strict';
// objectMode streams (counting chunks, highWaterMark 16), Readable.from over arrays,
// generators, async generators and strings, and duplexPair() both ways.
const { log } = require('./_parity');
const { Readable, Writable, Transform, duplexPair, pipeline } = require('stream');

const r = new Readable({ objectMode: true, read() {} });
log('a', 'hwm', r.readableHighWaterMark, r.readableObjectMode);
for (const item of [1, 'two', { three: 3 }, 0, '']) log('a', 'push', JSON.stringify(item), r.push(item), r.readableLength);
log('a', 'read', JSON.stringify(r.read()), r.readableLength);
r.on('data', (item) => log('a', 'data', JSON.stringify(item)));
r.on('end', () => log('a', 'end'));
r.push(null);
try {
  new Writable({ objectMode: true, write(c, e, cb) { cb(); } }).write(null);
} catch (err) {
  log('a', 'write null', err);
}

const seen = [];
const w = new Writable({
  objectMode: true,
  highWaterMark: 2,
  write(chunk, encoding, cb) { seen.push(JSON.stringify(chunk) + '/' + (encoding == null ? 'none' : encoding)); setTimeout(cb, 1); },
});
log('b', 'write', w.write({ a: 1 }), w.writableLength, w.writableObjectMode);
log('b', 'write', w.write([2]), w.writableLength);
w.end(7, () => log('b', 'done', seen.join(' ')));

const t = new Transform({
  readableObjectMode: true,
  transform(chunk, enc, cb) { cb(null, { length: chunk.length }); },
});
log('c', 'modes', t.readableObjectMode, t.writableObjectMode, t.readableHighWaterMark, t.writableHighWaterMark);
t.on('data', (obj) => log('c', 'data', JSON.stringify(obj)));
t.write('abc');
t.end('de');

function show(tag, stream) {
  stream.on('data', (chunk) => log(tag, 'data', typeof chunk, chunk));
  stream.on('end', () => log(tag, 'end'));
  stream.on('error', (err) => log(tag, 'error', err));
  stream.on('close', () => log(tag, 'close'));
}
show('d1', Readable.from(['x', 'y']));
show('d2', Readable.from('whole string'));
function* gen() { yield 'g1'; yield 'g2'; }
show('d3', Readable.from(gen()));
async function* agen() { yield 'a1'; await null; yield 'a2'; }
show('d4', Readable.from(agen()));
show('d5', Readable.from(['n', null, 'never']));
function* failing() { yield 'f1'; throw new Error('generator failed'); }
show('d6', Readable.from(failing()));
log('d7', 'objectMode', Readable.from([]).readableObjectMode, Readable.from([], { objectMode: false }).readableObjectMode);
try {
  Readable.from(42);
} catch (err) {
  log('d8', 'thrown', err);
}
let closed = false;
function* endless() { try { for (let i = 0; ; i++) yield 'e' + i; } finally { closed = true; } }
const e = Readable.from(endless());
e.once('data', (chunk) => {
  log('d9', 'first', chunk);
  e.destroy();
});
e.on('close', () => log('d9', 'close, generator closed', closed));

const [left, right] = duplexPair();
right.on('data', (chunk) => log('e', 'right got', chunk));
right.on('end', () => { log('e', 'right end'); right.end('bye'); });
left.on('data', (chunk) => log('e', 'left got', chunk));
left.on('end', () => log('e', 'left end'));
left.on('close', () => log('e', 'left close'));
right.on('close', () => log('e', 'right close'));
log('e', 'write', left.write('hello'));
left.end('!');
const [x, y] = duplexPair({ objectMode: true });
y.on('data', (obj) => log('f', 'y got', JSON.stringify(obj)));
x.write({ k: 'v' });
x.destroy(new Error('x broke'));
x.on('error', (err) => log('f', 'x error', err.message));
y.on('close', () => log('f', 'y close', y.errored));

'use strict';
// pipeline() with function stages: a generator function as the source, async generator
// functions as transforms (each gets the previous stage's chunks), a stream after them; an
// error thrown in a stage destroys the streams; a stage returning no iterable throws. Each
// stream's 'close' is logged under its pipeline's tag, so its order against the callback is
// compared too.
const { log } = require('./_parity');
const { Readable, Writable, Transform, pipeline } = require('stream');

function sink(tag, out) {
  const w = new Writable({ objectMode: true, write(chunk, enc, cb) { out.push(String(chunk)); cb(); } });
  w.on('finish', () => log(tag, 'dst finish'));
  w.on('close', () => log(tag, 'dst close'));
  return w;
}

const out1 = [];
pipeline(
  function* (options) { log('a', 'source signal', typeof options.signal.aborted); yield 'x'; yield 'y'; },
  async function* (source) { for await (const chunk of source) yield chunk.toUpperCase(); },
  async function* (source) { for await (const chunk of source) yield chunk + '!'; },
  sink('a', out1),
  (err) => log('a', 'callback', err, out1.join(' ')),
);

const out2 = [];
const src2 = Readable.from(['one', 'two', 'three']);
src2.on('close', () => log('b', 'src close', src2.destroyed));
pipeline(
  src2,
  async function* (source) {
    for await (const chunk of source) {
      if (chunk === 'two') throw new Error('stage failed');
      yield chunk;
    }
  },
  sink('b', out2),
  (err) => log('b', 'callback', err.message, out2.join(' ')),
);

try {
  pipeline(Readable.from(['z']), () => 42, sink('c', []), () => {});
} catch (err) {
  log('c', 'thrown', err.code);
}

// a Transform stream failing in the middle: every stream closes before the callback
const src4 = Readable.from(['one', 'two', 'three']);
src4.on('close', () => log('d', 'src close'));
const mid4 = new Transform({
  objectMode: true,
  transform(chunk, enc, cb) { if (chunk === 'two') cb(new Error('transform failed')); else cb(null, chunk); },
});
mid4.on('close', () => log('d', 'transform close'));
pipeline(src4, mid4, sink('d', []), (err) => log('d', 'callback', err.message));

// the destination destroyed while a function stage reads: the source closes after the callback
const src5 = Readable.from(['one', 'two', 'three']);
src5.on('close', () => log('e', 'src close'));
const dst5 = sink('e', []);
pipeline(src5, async function* (source) { for await (const chunk of source) yield chunk; }, dst5,
  (err) => log('e', 'callback', err.code));
process.nextTick(() => dst5.destroy());

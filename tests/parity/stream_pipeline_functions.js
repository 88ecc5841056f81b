'use strict';
// pipeline() with function stages: a generator function as the source, async generator
// functions as transforms (each gets the previous stage's chunks), a stream after them; an
// error thrown in a stage destroys the streams; a stage returning no iterable throws.
const { log } = require('./_parity');
const { Readable, Writable, pipeline } = require('stream');

function sink(tag, out) {
  const w = new Writable({ objectMode: true, write(chunk, enc, cb) { out.push(String(chunk)); cb(); } });
  w.on('finish', () => log(tag, 'dst finish'));
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
src2.on('close', () => log('b2', 'src close', src2.destroyed)); // (its order against the callback: not compared)
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

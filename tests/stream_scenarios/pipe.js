'use strict';
// pipe(): the source pauses when dest.write() returns false and resumes on 'drain'; 'pipe'
// and 'unpipe' on the destination; unpipe() removes every listener; end() at the source's end.
const { Fake, log, run, watch } = require('./harness');

const src = new Fake('src');
const dst = new Fake('dst', { writableHighWaterMark: 4 }, { sync: false });
watch(src, 'src', ['end', 'pause', 'resume', 'close']);
watch(dst, 'dst', ['pipe', 'unpipe', 'drain', 'finish', 'close']);
const events = ['data', 'end', 'drain', 'error', 'close', 'finish', 'unpipe'];
const counts = () => log('counts', events.map((e) => src.listenerCount(e)), events.map((e) => dst.listenerCount(e)));
run([
  () => {
    counts();
    log('pipe', src.pipe(dst) === dst);
    counts();
  },
  () => {
    log('push', src.push(Buffer.from('abcd')));
    log('push', src.push(Buffer.from('ef')));
  },
  () => {
    log('state', src.isPaused(), src.readableFlowing, src.readableLength, dst.writableLength);
    dst.done();
  },
  () => {
    log('state', src.isPaused(), src.readableFlowing, src.readableLength, dst.writableLength);
    dst.done();
    src.unpipe(dst);
    counts();
    log('state', src.readableFlowing);
  },
  () => {
    src.pipe(dst, { end: false });
    src.push(Buffer.from('gh'));
    src.push(null);
  },
  () => {
    dst.done();
    counts();
    log('state', dst.writableEnded);
    src.pipe(dst);
  },
  () => {
    log('state', dst.writableEnded);
    counts();
  },
]);

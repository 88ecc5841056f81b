'use strict';
// What keeps the program alive: a ref'd timer does, an unref'd one does not (and still fires
// while something else keeps the program going); ref() undoes unref(); an unref'd immediate runs
// only while something else keeps the program going; refresh() restarts a timer and re-arms one
// that already fired.
const { log } = require('./_parity.js');

const lonely = setTimeout(() => log('a', 'never: unref\'d and alone at the end'), 10000);
log('a', 'hasRef', lonely.hasRef(), lonely.unref() === lonely, lonely.hasRef());

const ticker = setInterval(() => log('b', 'unref\'d interval ticks'), 25).unref();
setTimeout(() => {
  log('b', 'ref\'d timer ends; the unref\'d interval no longer counts');
  ticker.close();
}, 60);

const back = setTimeout(() => log('c', 'unref then ref: fires'), 80);
back.unref();
back.ref();
log('c', 'hasRef again', back.hasRef());

const refreshed = setTimeout(() => log('d', 'refreshed timer, at 70 ms'), 40);
setTimeout(() => refreshed.refresh(), 30);
setTimeout(() => log('d', 'the 55 ms timer comes first'), 55);

let fired = 0;
const again = setTimeout(() => {
  fired += 1;
  log('e', 'fired', fired);
  if (fired === 1) setTimeout(() => again.refresh(), 5);
}, 5);

const imm = setImmediate(() => log('f', 'unref\'d immediate runs: timers keep the program going'));
imm.unref();
log('f', 'immediate hasRef', imm.hasRef());
setTimeout(() => {
  setImmediate(() => log('f', 'unref\'d immediate runs while the program lives')).unref();
  setTimeout(() => {}, 5);
}, 90);
setTimeout(() => setImmediate(() => log('g', 'never')).unref(), 100);

process.prependListener('exit', () => log('z', 'exit'));

'use strict';
// What keeps the program alive: a ref'd timer does, an unref'd one does not (and still fires
// while something else keeps the program going); ref() undoes unref(); an unref'd immediate runs
// only while something else keeps the program going; refresh() restarts a timer and re-arms one
// that already fired.
const { log } = require('./_parity.js');

const lonely = setTimeout(() => log('a', 'never: unref\'d and alone at the end'), 10000);
log('a', 'hasRef', lonely.hasRef(), lonely.unref() === lonely, lonely.hasRef());

let ticks = 0;
const ticker = setInterval(() => { if (++ticks === 1) log('b', 'unref\'d interval ticks'); }, 10);
ticker.unref();
setTimeout(() => {
  log('b', 'ref\'d timer ends; the unref\'d interval ticked meanwhile:', ticks >= 1);
  ticker.close();
}, 100);

const back = setTimeout(() => log('c', 'unref then ref: fires'), 80);
back.unref();
back.ref();
log('c', 'hasRef again', back.hasRef());

setTimeout(() => log('d', 'the 120 ms timer comes first'), 120);
const refreshed = setTimeout(() => {
  log('d', 'refreshed timer, at 150 ms');
  // The last timer: an unref'd immediate set now never runs.
  setImmediate(() => log('g', 'never')).unref();
}, 100);
setTimeout(() => refreshed.refresh(), 50);

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

process.prependListener('exit', () => log('z', 'exit'));

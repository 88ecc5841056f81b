'use strict';
// timers/promises: setTimeout and setImmediate resolve with their value, setInterval is an
// async iterator that a break clears, the signal option rejects (or ends the loop) with an
// AbortError, ref: false does not keep the program alive, bad arguments reject.
const tp = require('timers/promises');
const { log } = require('./_parity.js');

async function main() {
  log('a', 'timeout', await tp.setTimeout(10, 'value'));
  log('a', 'immediate', await tp.setImmediate('now'));
  let n = 0;
  for await (const v of tp.setInterval(5, 'tick')) {
    n += 1;
    log('a', 'interval', n, v);
    if (n === 3) break;
  }
  await tp.scheduler.wait(5);
  log('a', 'scheduler.wait');

  const ac = new AbortController();
  const pending = tp.setTimeout(1000, 'never', { signal: ac.signal });
  ac.abort('stop');
  try { await pending; } catch (e) { log('b', 'timeout', e.name, e, 'cause:', e.cause); }
  try { await tp.setImmediate(1, { signal: AbortSignal.abort('pre') }); } catch (e) {
    log('b', 'immediate', e.name, 'cause:', e.cause);
  }
  const ac2 = new AbortController();
  let ticks = 0;
  try {
    for await (const v of tp.setInterval(5, 'i', { signal: ac2.signal })) {
      ticks += 1;
      if (ticks === 2) ac2.abort('enough');
    }
  } catch (e) {
    log('b', 'interval', e.name, 'cause:', e.cause, 'after', ticks);
  }

  for (const call of [() => tp.setTimeout('1'), () => tp.setTimeout(1, null, 5),
                      () => tp.setImmediate(null, { ref: 1 }),
                      () => tp.setTimeout(1, null, { signal: {} })]) {
    try { await call(); } catch (e) { log('c', e.name, e); }
  }
  tp.setTimeout(60000, null, { ref: false }).then(() => log('d', 'never: unref\'d'));
  log('d', 'done');
}
main();
process.prependListener('exit', () => log('z', 'exit'));

'use strict';
// events.on: events emitted before and between iterations are buffered, 'error' ends the
// loop (after the buffered events), close events end it, return() removes the listeners,
// an AbortSignal aborts it; getEventListeners, setMaxListeners, addAbortListener.
const { log } = require('./_parity');
const events = require('events');
const { EventEmitter, on, getEventListeners, setMaxListeners, addAbortListener } = events;

async function main() {
  const ee = new EventEmitter();
  const it = on(ee, 'foo');
  ee.emit('foo', 1, 'a');
  ee.emit('foo', 2);
  log('a', 'listeners while iterating', ee.listenerCount('foo'), ee.listenerCount('error'));
  let n = 0;
  for await (const args of it) {
    log('a', 'got', JSON.stringify(args));
    n += 1;
    if (n === 2) setTimeout(() => { ee.emit('foo', 3); ee.emit('foo', 4); ee.emit('error', new Error('kaboom')); }, 1);
    if (n === 4) log('a', 'waiting for the error');
  }
}

async function closing() {
  const ee = new EventEmitter();
  setTimeout(() => { ee.emit('tick', 'x'); ee.emit('done'); ee.emit('tick', 'late'); }, 1);
  for await (const [value] of on(ee, 'tick', { close: ['done'] })) log('b', 'tick', value);
  log('b', 'ended by close', ee.listenerCount('tick'), ee.listenerCount('done'));

  const ee2 = new EventEmitter();
  const it = on(ee2, 'x');
  ee2.emit('x', 'only');
  const first = await it.next();
  log('c', 'first', JSON.stringify(first.value), first.done);
  await it.return();
  log('c', 'return', ee2.listenerCount('x'), ee2.listenerCount('error'));
  const after = await it.next();
  log('c', 'after return', after.done);

  const ac = new AbortController();
  const ee3 = new EventEmitter();
  setTimeout(() => ac.abort('why'), 1);
  try {
    for await (const args of on(ee3, 'x', { signal: ac.signal })) log('d', 'never', args);
  } catch (err) {
    log('d', 'aborted', err.name, err.code, err.cause, ee3.listenerCount('x'));
  }
  try {
    on(ee3, 'x', { signal: AbortSignal.abort() });
  } catch (err) {
    log('d', 'already aborted', err.name);
  }
  for (const bad of [{ highWaterMark: 0 }, { lowWaterMark: 'x' }, { signal: 'nope' }]) {
    try { on(ee3, 'x', bad); } catch (err) { log('d', 'bad', err); }
  }
}

function inspecting() {
  const ee = new EventEmitter();
  const f = () => {};
  const g = () => {};
  ee.on('x', f);
  ee.once('x', g);
  log('e', 'getEventListeners', getEventListeners(ee, 'x').length, getEventListeners(ee, 'x')[1] === g);
  const ac = new AbortController();
  ac.signal.addEventListener('abort', f);
  log('e', 'target listeners', getEventListeners(ac.signal, 'abort').length, getEventListeners(ac.signal, 'abort')[0] === f);
  setMaxListeners(1, ee);
  log('e', 'max', ee.getMaxListeners(), events.defaultMaxListeners);
  try { setMaxListeners(-1, ee); } catch (err) { log('e', 'bad max', err); }
  try { setMaxListeners(1, {}); } catch (err) { log('e', 'bad target', err); }
  const disposable = addAbortListener(ac.signal, () => log('e', 'abort listener'));
  const other = addAbortListener(ac.signal, () => log('e', 'never: disposed'));
  other[Symbol.dispose]();
  ac.abort();
  addAbortListener(ac.signal, () => log('e', 'already aborted: later'));
  log('e', 'after abort');
  try { addAbortListener(undefined, f); } catch (err) { log('e', 'bad signal', err); }
  try { addAbortListener(ac.signal, 'x'); } catch (err) { log('e', 'bad listener', err); }
  void disposable;
}

inspecting();
main().catch((err) => log('a', 'loop ended with', err.message)).then(closing);

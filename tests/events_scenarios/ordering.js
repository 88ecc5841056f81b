'use strict';
// EventEmitter ordering: newListener / removeListener / once / prepend / removeAllListeners /
// snapshot semantics / errorMonitor. tests/test_events.py runs the same steps on twnet's
// EventEmitter and compares the printed lines with what this script prints under Node.
//
// A listener is printed by name. When a `once` listener is removed, Node passes the
// 'removeListener' listeners sometimes the listener and sometimes its internal once wrapper
// (whose `.listener` is the listener); twnet always passes the listener itself, so this
// script prints `(fn.listener || fn).name`: the listener the wrapper stands for.
const EventEmitter = require('events');

const lines = [];
const nameOf = (fn) => (fn.listener || fn).name;
const fmt = (value) => (typeof value === 'function' ? nameOf(value) : String(value));
const log = (...parts) => lines.push(parts.map(fmt).join(' '));
const names = (fns) => `[${fns.map(nameOf).join(',')}]`;

function named(name, body = () => {}) {
  const fn = function (...args) {
    log(name, ...args);
    body(...args);
  };
  Object.defineProperty(fn, 'name', { value: name });
  return fn;
}

const e = new EventEmitter();

// 1. 'newListener' is emitted before the listener is added, 'removeListener' after removing.
e.on('newListener', named('onNew', (ev) => log('  count', ev, e.listenerCount(ev))));
e.on('removeListener', named('onRemove', (ev) => log('  count', ev, e.listenerCount(ev))));

// 2. on / prependListener / once / prependOnceListener order; once listeners remove themselves
//    ('removeListener' comes before the listener runs).
const A1 = named('A1');
const A2 = named('A2');
e.on('a', A1);
e.prependListener('a', named('A0'));
e.once('a', A2);
e.prependOnceListener('a', named('Aonce0'));
log('listeners a', names(e.listeners('a')));
log('emit', e.emit('a', 1));
log('emit', e.emit('a', 2));
log('emit', e.emit('nobody'));

// 3. removeListener removes the most recent instance; a once listener goes by its function.
const B = named('B');
e.on('b', B);
e.once('b', B);
e.on('b', named('B2'));
log('count b B', e.listenerCount('b', B), 'all', e.listenerCount('b'));
e.removeListener('b', B);
log('count b B', e.listenerCount('b', B), 'all', e.listenerCount('b'));
log('emit', e.emit('b', 'x'));
e.off('b', B);
log('count b B', e.listenerCount('b', B), 'all', e.listenerCount('b'));

// 4. A listener added from 'newListener' for the same event goes before the one being added.
e.once('newListener', named('inNew', (ev) => {
  if (ev === 'c') e.on('c', named('C0'));
}));
e.on('c', named('C1'));
e.on('c', named('C2'));
log('emit', e.emit('c'));

// 5. Snapshot: a listener removed during an emit still runs in that emit (once ones too);
//    a listener added during an emit does not.
const D2 = named('D2');
const D3 = named('D3');
let first = true;
e.on('d', named('D1', () => {
  if (first) {
    first = false;
    e.removeListener('d', D2);
    e.removeListener('d', D3);
    e.on('d', named('D4'));
  }
}));
e.on('d', D2);
e.once('d', D3);
log('emit', e.emit('d', 1));
log('emit', e.emit('d', 2));

// 6. A raw once wrapper runs its listener once and removes it.
e.once('g', named('G'));
const raw = e.rawListeners('g')[0];
raw('first');
raw('second');
log('count g', e.listenerCount('g'), 'emit', e.emit('g', 'third'));

// 7. removeAllListeners(name): last added first.
e.on('h', named('H1'));
e.once('h', named('H2'));
e.on('h', named('H3'));
e.removeAllListeners('h');
log('eventNames', `[${e.eventNames().map(fmt).join(',')}]`);

// 8. errorMonitor listeners run before 'error' listeners, and before the throw with none.
const monitor = named('monitor');
e.on(EventEmitter.errorMonitor, monitor);
e.on('error', named('onError'));
log('emit', e.emit('error', 'oops'));
e.removeAllListeners('error');
try {
  e.emit('error', 'oops');
} catch (err) {
  log('thrown', err.code, err.message, err.context);
}
e.off(EventEmitter.errorMonitor, monitor);

// 9. removeAllListeners(): every event in order of first addition, 'removeListener' last.
e.on('z', named('Z'));
e.removeAllListeners();
log('eventNames', `[${e.eventNames().map(fmt).join(',')}]`);

for (const line of lines) console.log(line);

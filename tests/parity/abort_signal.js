'use strict';
// AbortController and AbortSignal as an EventTarget: listener order (onabort keeps its place,
// once, a listener added during the dispatch runs), the default reasons (AbortError,
// TimeoutError), AbortSignal.any following the first source to abort, AbortSignal.timeout
// firing while the program lives but not keeping it alive, and the argument errors.
const { log } = require('./_parity.js');

const ac = new AbortController();
const s = ac.signal;
s.addEventListener('abort', (e) => {
  log('a', 'first', e.type, e.isTrusted, e.target === s);
  s.addEventListener('abort', () => log('a', 'added during the dispatch'));
});
s.onabort = () => log('a', 'onabort (replaced)');
s.addEventListener('abort', () => log('a', 'once'), { once: true });
s.onabort = () => log('a', 'onabort');
log('a', 'aborted', s.aborted, s.reason);
ac.abort();
ac.abort('again');
log('a', 'aborted', s.aborted, s.reason.name, s.reason.code, s.reason.message);
try { s.throwIfAborted(); } catch (e) { log('a', 'throwIfAborted', e.name, e.message); }

const x1 = new AbortController();
const x2 = new AbortController();
const any = AbortSignal.any([x1.signal, x2.signal]);
const anyOfAny = AbortSignal.any([any]);
any.onabort = () => log('b', 'any aborted', any.reason);
anyOfAny.onabort = () => log('b', 'any of any aborted', anyOfAny.reason);
x2.signal.onabort = () => log('b', 'x2 aborted first');
x2.abort('reason 2');
x1.abort('reason 1');
log('b', 'already aborted source', AbortSignal.any([AbortSignal.abort('pre')]).reason);
log('b', 'empty', AbortSignal.any([]).aborted);

const t = AbortSignal.timeout(20);
t.addEventListener('abort', () => log('c', 'timeout', t.reason.name, t.reason.code, t.reason.message));
setTimeout(() => log('c', 'the 40 ms timer keeps the program alive'), 40);
AbortSignal.timeout(60000).onabort = () => log('c', 'never: unref\'d');

for (const make of [() => new AbortSignal(), () => AbortSignal.timeout(-1),
                    () => AbortSignal.timeout(1.5), () => AbortSignal.timeout('1'),
                    () => AbortSignal.any([1]), () => AbortSignal.any(5)]) {
  try { make(); } catch (e) { log('d', e.name, e); }
}
process.prependListener('exit', () => log('z', 'exit'));

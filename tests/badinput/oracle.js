'use strict';
// The Node 24 side of the bad-input battery (tests/badinput/): one long-lived process that
// reads one JSON case per line on stdin and answers one JSON line per case on stdout.
//
// A case is {id, receiver, method, args, wait, result}. Arguments arrive tagged (see
// tests/badinput/values.py): a Python None is sent as {"t": "none"} and the case is run twice,
// once with undefined and once with null in its place, since Python has one None where
// JavaScript has two; the answer holds one outcome per variant.
//
// An outcome says what the call threw (error name, code, message), what it returned (for the
// calls whose result is compared), for a listen whether it ended in 'listening' or 'error' and
// where it asked to bind, and what escaped asynchronously (uncaught exceptions, 'error' events
// on the objects the case made) before everything was closed again.
//
// Safety: names other than 'localhost' are never resolved (dns.lookup answers ENOTFOUND
// without the network; the resolver's own limits, such as a label over 63 characters, are
// therefore not exercised: the twnet side's resolver answers the same way), and every bind is made on 127.0.0.1 port 0 whatever was asked (what
// was asked is reported), so a case never listens on a public address or a fixed port.
// Sockets made by connect forms are destroyed before their connection can start.

const net = require('net');
const dns = require('dns');
const fs = require('fs');
const os = require('os');
const path = require('path');
const readline = require('readline');
const EventEmitter = require('events');
const stream = require('stream');
const timers = require('timers');
const timersPromises = require('timers/promises');

const DEADLINE_MS = 3000;

// -- a working directory of our own: listen(path) with a relative name binds there ----------
const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'twnet-oracle-'));
process.chdir(workdir);
process.on('exit', () => fs.rmSync(workdir, {recursive: true, force: true}));

// -- no name is resolved over the network ----------------------------------------------------
const realLookup = dns.lookup;
dns.lookup = function fakeLookup(hostname, options, callback) {
  if (typeof hostname !== 'string' || hostname === '' || net.isIP(hostname) ||
      hostname.includes('\0') || hasLoneSurrogate(hostname)) {
    // Validation, literals, a NUL (thrown at once), a lone surrogate (EINVAL from libuv
    // before any query): the real lookup, which involves no network for these.
    return realLookup.apply(this, arguments);
  }
  let opts = options;
  let cb = callback;
  if (typeof options === 'function') {
    cb = options;
    opts = {};
  }
  realLookup('127.0.0.1', opts, () => {}); // throws what the real one throws for the options
  const family = typeof opts === 'number' ? opts : (opts && opts.family);
  const all = opts !== null && typeof opts === 'object' && opts.all === true;
  setImmediate(() => {
    if (hostname.toLowerCase() !== 'localhost') {
      const err = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
      err.errno = -3008;
      err.code = 'ENOTFOUND';
      err.syscall = 'getaddrinfo';
      err.hostname = hostname;
      cb(err);
      return;
    }
    const six = family === 6 || family === 'IPv6';
    const address = six ? '::1' : '127.0.0.1';
    if (all) cb(null, [{address, family: six ? 6 : 4}]);
    else cb(null, address, six ? 6 : 4);
  });
};

function hasLoneSurrogate(text) {
  return /[\ud800-\udfff]/.test(text.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''));
}

// -- every bind goes to 127.0.0.1:0; what was asked is recorded -------------------------------
let current = null; // the case being run
const realListen2 = net.Server.prototype._listen2;
net.Server.prototype._listen2 = function guardedListen2(address, port, addressType, backlog, fd, flags) {
  let asked;
  if (typeof fd === 'number' && fd >= 0) asked = {kind: 'fd'};
  else if (port === -1 && addressType === -1) asked = {kind: 'path'};
  else asked = {kind: 'tcp', host: hostClass(address), port};
  if (current && current.recording) current.binds.push(asked);
  if (asked.kind === 'tcp') {
    address = '127.0.0.1';
    port = 0;
    addressType = 4;
  }
  return realListen2.call(this, address, port, addressType, backlog, fd, flags);
};

function hostClass(address) {
  if (address === null || address === undefined || address === '::' || address === '0.0.0.0')
    return 'any';
  return String(address);
}

// -- values ------------------------------------------------------------------------------
const made = []; // objects a case created, closed when it ends

function track(obj) {
  if (obj instanceof stream.Stream || obj instanceof net.Server) {
    if (!made.includes(obj)) {
      made.push(obj);
      obj.on('error', (err) => { if (current) current.errors.push(describe(err)); });
    }
  }
  return obj;
}

function noop() {}

function decode(v, nullish) {
  if (v === null || typeof v !== 'object') return v;
  switch (v.t) {
    case 'none': return nullish;
    case 'int': return Number(v.v);
    case 'num': return Number(v.v);
    case 'buf': return Buffer.from(v.v, 'hex');
    case 'arr': return v.v.map((x) => decode(x, nullish));
    case 'obj': {
      const o = {};
      for (const [k, x] of v.v) {
        Object.defineProperty(o, k, {value: decode(x, nullish), enumerable: true, writable: true, configurable: true});
      }
      return o;
    }
    case 'fn': return noop;
    case 'inst': {
      const C = {[v.cls]: class {}}[v.cls];
      return new C();
    }
    case 'err': return new Error(v.message);
    case 'server': return track(new net.Server());
    case 'socket': return track(new net.Socket());
    case 'emitter': return new EventEmitter();
    case 'signal': return new AbortController().signal;
    case 'aborted': return AbortSignal.abort();
    case 'blocklist': return new net.BlockList();
    case 'socketaddress': return new net.SocketAddress();
    case 'readable': return track(new stream.Readable({read() {}}));
    case 'writable': return track(new stream.Writable({write(chunk, encoding, cb) { cb(); }}));
    default: throw new Error(`oracle: unknown tag ${JSON.stringify(v)}`);
  }
}

function hasNone(v) {
  if (v === null || typeof v !== 'object') return false;
  if (v.t === 'none') return true;
  if (v.t === 'arr') return v.v.some(hasNone);
  if (v.t === 'obj') return v.v.some(([, x]) => hasNone(x));
  return false;
}

function describe(err) {
  if (!(err instanceof Error)) {
    return {name: 'non-error', code: null, message: typeof err === 'symbol' ? 'symbol' : String(err)};
  }
  const name = ['TypeError', 'RangeError', 'SyntaxError'].includes(err.name) ? err.name : 'Error';
  return {name, code: err.code === undefined ? null : String(err.code), message: String(err.message)};
}

function encodeResult(r) {
  if (r === undefined || r === null) return null;
  if (typeof r === 'boolean' || typeof r === 'string') return r;
  if (typeof r === 'number') {
    if (Number.isNaN(r) || !Number.isFinite(r) || Object.is(r, -0)) return {t: 'num', v: String(r)};
    return r;
  }
  if (Array.isArray(r)) return {t: 'arr', v: r.map(encodeResult)};
  return {t: 'inst', cls: r.constructor ? r.constructor.name : 'Object'};
}

process.on('uncaughtException', (err) => {
  if (current) current.uncaught.push(describe(err));
  else process.stderr.write(`oracle: uncaught outside a case: ${err && err.stack}\n`);
});

// -- receivers -----------------------------------------------------------------------------
let peerPort = 0;
const peer = net.createServer((s) => {
  s.on('error', noop);
  s.resume();
  s.on('end', () => s.destroy());
});

function connectedSocket() {
  return new Promise((resolve, reject) => {
    const s = track(net.connect(peerPort, '127.0.0.1'));
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

function listeningServer() {
  return new Promise((resolve) => {
    const s = track(net.createServer());
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}

async function receiver(kind) {
  switch (kind) {
    case 'net': return net;
    case 'socket': return track(new net.Socket());
    case 'connected': return connectedSocket();
    case 'server': return track(new net.Server());
    case 'listening': return listeningServer();
    case 'emitter': return new EventEmitter();
    case 'timers': return timers;
    case 'timers.promises': return timersPromises;
    case 'AbortSignal': return AbortSignal;
    case 'controller': return new AbortController();
    case 'signal': return new AbortController().signal;
    case 'blocklist': return new net.BlockList();
    case 'BlockList': return net.BlockList;
    case 'SocketAddress': return net.SocketAddress;
    case 'events': return EventEmitter;
    case 'stream': return stream;
    case 'stream.promises': return stream.promises;
    case 'Readable': return stream.Readable;
    case 'Duplex': return stream.Duplex;
    case 'readable': return track(new stream.Readable({read() {}}));
    case 'writable': return track(new stream.Writable({write(chunk, encoding, cb) { cb(); }}));
    case 'process': return process;
    default: throw new Error(`oracle: unknown receiver ${kind}`);
  }
}

function call(recv, method, args) {
  if (method.startsWith('new ')) {
    const name = method.slice(4);
    const C = name === 'EventEmitter' ? EventEmitter
      : name.startsWith('stream.') ? stream[name.slice(7)]
        : net[name] || globalThis[name];
    return new C(...args);
  }
  return recv[method](...args);
}

// Timers a case started: cleared when it ends.
const timerHandles = [];

function trackTimer(value) {
  if (value !== null && typeof value === 'object' && value.constructor &&
      (value.constructor.name === 'Timeout' || value.constructor.name === 'Immediate')) {
    timerHandles.push(value);
  }
}

// -- waiting ---------------------------------------------------------------------------------
const turn = () => new Promise((resolve) => setImmediate(resolve));

function untilEvent(emitter, names) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done('timeout', null), DEADLINE_MS);
    const handlers = {};
    function done(name, arg) {
      clearTimeout(timer);
      for (const n of names) emitter.removeListener(n, handlers[n]);
      resolve([name, arg]);
    }
    for (const n of names) {
      handlers[n] = (arg) => done(n, arg);
      emitter.once(n, handlers[n]);
    }
  });
}

async function closeAll() {
  for (const t of timerHandles.splice(0)) {
    if (t.constructor.name === 'Immediate') clearImmediate(t);
    else clearTimeout(t);
  }
  const waits = [];
  for (const obj of made.splice(0)) {
    if (obj instanceof net.Server) {
      if (obj.listening) waits.push(new Promise((resolve) => obj.close(() => resolve())));
    } else if (!obj.destroyed) {
      const closed = untilEvent(obj, ['close']);
      obj.destroy();
      waits.push(closed);
    }
  }
  await Promise.all(waits);
}

// -- one case ------------------------------------------------------------------------------
async function runVariant(c, nullish) {
  current = {binds: [], errors: [], uncaught: [], recording: false};
  const out = current;
  const recv = await receiver(c.receiver);
  out.recording = true;
  const args = c.args.map((a) => decode(a, nullish));
  let threw = null;
  let result;
  try {
    result = call(recv, c.method, args);
  } catch (err) {
    threw = describe(err);
  }
  if (c.wait === 'connect') {
    // Destroy at once: a connect form's socket must never reach the network.
    if (result instanceof net.Socket) result.destroy();
    if (recv instanceof net.Socket && c.method === 'connect') recv.destroy();
  }
  if (result instanceof stream.Stream || result instanceof net.Server) track(result);
  if (Array.isArray(result)) result.forEach((r) => { if (r instanceof stream.Stream) track(r); });
  trackTimer(result);
  const o = {throw: threw};
  if (c.wait === 'promise' && !threw) {
    // What matters is whether the promise rejects at once (a bad argument), not when a
    // valid timer fires: look for two turns.
    let rejected = null;
    if (result && typeof result.then === 'function') {
      result.then(() => {}, (err) => { rejected = describe(err); });
    }
    await turn();
    await turn();
    o.rejected = rejected;
  }
  if (c.result && !threw) o.result = encodeResult(result);
  if (c.wait === 'listen' && !threw) {
    const server = result instanceof net.Server ? result : recv;
    const [event, arg] = await untilEvent(server, ['listening', 'error', 'close']);
    o.listen = {event, error: event === 'error' ? describe(arg) : null};
  }
  await turn();
  await turn();
  o.errors = out.errors.slice();
  await closeAll();
  await turn();
  o.binds = out.binds;
  o.uncaught = out.uncaught;
  if (c.restore) c.restore();
  current = null;
  return o;
}

const defaults = {
  family: net.getDefaultAutoSelectFamily(),
  attempt: net.getDefaultAutoSelectFamilyAttemptTimeout(),
};

async function runCase(c) {
  c.restore = () => {
    net.setDefaultAutoSelectFamily(defaults.family);
    net.setDefaultAutoSelectFamilyAttemptTimeout(defaults.attempt);
    stream.setDefaultHighWaterMark(false, 65536);
    stream.setDefaultHighWaterMark(true, 16);
  };
  const outcomes = [await runVariant(c, undefined)];
  if (c.args.some(hasNone)) outcomes.push(await runVariant(c, null));
  return outcomes;
}

// -- the loop ----------------------------------------------------------------------------------
const queue = [];
let busy = false;

async function pump() {
  if (busy) return;
  busy = true;
  while (queue.length) {
    const line = queue.shift();
    let c;
    try {
      c = JSON.parse(line);
      const outcomes = await runCase(c);
      process.stdout.write(JSON.stringify({id: c.id, outcomes}) + '\n');
    } catch (err) {
      current = null;
      process.stdout.write(JSON.stringify({id: c ? c.id : null, oracleError: String(err && err.stack)}) + '\n');
    }
  }
  busy = false;
}

peer.listen(0, '127.0.0.1', () => {
  peerPort = peer.address().port;
  peer.unref();
  process.stdout.write(JSON.stringify({ready: process.version}) + '\n');
  const rl = readline.createInterface({input: process.stdin});
  rl.on('line', (line) => {
    queue.push(line);
    pump();
  });
  rl.on('close', () => process.exit(0));
});

'use strict';
// Shared by the scenarios: a log of what happens, in order, printed one line per entry.
// tests/test_stream.py formats its own log the same way and compares the two.
const { Duplex } = require('stream');

const lines = [];

function fmt(value) {
  if (value === null || value === undefined) return 'null';
  if (Buffer.isBuffer(value)) return `<${value.toString('latin1')}>`;
  if (typeof value === 'string') return `'${value}'`;
  if (value instanceof Error) return `E:${value.code}`;
  if (Array.isArray(value)) return `[${value.map(fmt).join(',')}]`;
  return String(value);
}

function log(label, ...values) {
  lines.push([label, ...values.map(fmt)].join(' '));
}

// Log these events of `stream`, prefixed with `name`.
function watch(stream, name, events) {
  for (const event of events) {
    stream.on(event, (...args) => log(`${name}.${event}`, ...args.filter((a) => typeof a !== 'object' || a === null || Buffer.isBuffer(a) || a instanceof Error)));
  }
}

// A Duplex whose sink logs every call; sync sinks complete at once, others keep the
// callbacks in `pending` for the scenario to complete.
class Fake extends Duplex {
  constructor(name, options = {}, { sync = true, writev = false, final = false } = {}) {
    super(options);
    this.name = name;
    this.sync = sync;
    this.pending = [];
    if (writev) {
      this._writev = (chunks, cb) => {
        log(`${this.name}._writev`, chunks.map((c) => c.chunk));
        this.complete(cb);
      };
    }
    if (final) {
      this._final = (cb) => {
        log(`${this.name}._final`);
        this.complete(cb);
      };
    }
  }

  _read(size) {
    log(`${this.name}._read`, size);
  }

  _write(chunk, encoding, cb) {
    log(`${this.name}._write`, chunk);
    this.complete(cb);
  }

  _destroy(err, cb) {
    log(`${this.name}._destroy`, err);
    cb(err);
  }

  complete(cb) {
    if (this.sync) cb();
    else this.pending.push(cb);
  }

  // Complete the oldest pending sink call.
  done(err = null) {
    this.pending.shift()(err);
  }
}

// Run each phase in its own macrotask, so the nextTick queue drains between phases.
function run(phases) {
  const next = () => {
    const phase = phases.shift();
    if (phase === undefined) {
      process.stdout.write(lines.join('\n') + '\n');
      return;
    }
    phase();
    setImmediate(next);
  };
  next();
}

function cb(name) {
  return (err) => log(name, err);
}

module.exports = { Fake, cb, log, run, watch };

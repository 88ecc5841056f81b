'use strict';
// Shared printing for the Node half of a parity scenario (see tests/test_parity.py).
// Lines are recorded per tag and printed at exit, tags in alphabetical order, so events of
// different sockets (whose relative order the network decides) never race each other.
const lines = new Map();
const subs = [];
const TMP = process.argv[2] || require('os').tmpdir();

function mask(value, name) {
  subs.push([String(value), name]);
}

function masked(text) {
  for (const [value, name] of subs) text = text.split(value).join(name);
  return text;
}

function fmt(v) {
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (v === null || v === undefined) return 'null';
  if (Buffer.isBuffer(v)) return masked(v.toString('utf8'));
  if (v instanceof Error) {
    let msg = v.message;
    const code = v.code === undefined ? null : v.code;
    if (typeof code === 'string' && code.startsWith('ERR_')) {
      const i = msg.indexOf(' Received');
      if (i >= 0) msg = msg.slice(0, i);
    }
    return masked(`error ${fmt(code)} ${msg}`);
  }
  return masked(String(v));
}

function log(tag, ...parts) {
  if (!lines.has(tag)) lines.set(tag, []);
  lines.get(tag).push([tag, ...parts].map(fmt).join(' '));
}

process.on('exit', () => {
  for (const tag of [...lines.keys()].sort()) {
    for (const line of lines.get(tag)) process.stdout.write(line + '\n');
  }
});

module.exports = { log, mask, fmt, TMP };

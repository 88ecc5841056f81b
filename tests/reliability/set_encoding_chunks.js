// setEncoding on a net.Socket fed chunk by chunk, under Node 24. Reads on stdin a JSON list of
// [encoding, [hex chunk, ...]]; for each, a fresh net.Socket in flowing mode with
// setEncoding(encoding) is pushed the chunks and then the end; prints a JSON list with, for
// each case, the strings of its 'data' events in order, each as its UTF-16 code units in hex
// (so that a lone surrogate survives the trip).
'use strict';
const net = require('net');

const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));

function units(s) {
  let out = '';
  for (let i = 0; i < s.length; i++) out += s.charCodeAt(i).toString(16).padStart(4, '0');
  return out;
}

async function runCase([encoding, chunks]) {
  const sock = new net.Socket();
  sock.setEncoding(encoding);
  const seen = [];
  sock.on('data', (s) => seen.push(units(s)));
  sock.on('error', () => {});
  await new Promise(setImmediate); // flowing from now on: each push is one 'data' at once
  for (const chunk of chunks) sock.push(Buffer.from(chunk, 'hex'));
  sock.push(null);
  await new Promise(setImmediate);
  sock.destroy();
  return seen;
}

async function main() {
  const results = [];
  for (const c of cases) results.push(await runCase(c));
  console.log(JSON.stringify(results));
}

main();

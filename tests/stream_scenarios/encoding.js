'use strict';
// setEncoding(): characters split between chunks arrive whole; the end flushes the rest.
const { Fake, log, run } = require('./harness');

const streams = {};
for (const enc of ['utf8', 'utf16le', 'base64', 'hex', 'latin1']) {
  const s = new Fake(enc);
  s.setEncoding(enc);
  s.on('data', (chunk) => log(`${enc}.data`, chunk));
  s.on('end', () => log(`${enc}.end`));
  streams[enc] = s;
}
const later = new Fake('later');
const pushAll = (bytes) => {
  for (const s of Object.values(streams)) s.push(Buffer.from(bytes));
};
run([
  () => {
    pushAll([0xe2, 0x82]);
    later.push(Buffer.from([0xe2, 0x82]));
    log('state', streams.utf8.readableEncoding, streams.utf16le.readableEncoding);
  },
  () => {
    pushAll([0xac, 0x41, 0xf0, 0x9f]);
    later.push(Buffer.from([0xac, 0x41, 0xf0, 0x9f]));
  },
  () => {
    pushAll([0x98, 0x80, 0x42, 0xf0]);
    later.setEncoding('utf8');
    log('later', later.readableLength, later.read());
  },
  () => {
    for (const s of Object.values(streams)) s.push(null);
  },
]);

'use strict';
// Removing the last 'readable' listener lets a 'data' listener flow; once('data') flows;
// prependListener('data') does not start flowing by itself.
const { Fake, log, run } = require('./harness');

const d = new Fake('d');
const p = new Fake('p');
const onReadable = () => log('d.readable', d.readableLength);
d.on('readable', onReadable);
d.on('data', (chunk) => log('d.data', chunk));
p.prependListener('data', (chunk) => log('p.data', chunk));
run([
  () => {
    d.push(Buffer.from('a'));
    p.push(Buffer.from('b'));
    log('state', d.readableFlowing, p.readableFlowing);
  },
  () => {
    d.removeListener('readable', onReadable);
    log('state', d.readableFlowing);
  },
  () => {
    log('state', d.readableFlowing, d.readableLength);
    d.push(Buffer.from('c'));
    p.once('data', (chunk) => log('p.once', chunk));
    log('state', p.readableFlowing);
  },
  () => {
    p.push(Buffer.from('e'));
    log('state', p.readableFlowing, p.listenerCount('data'));
  },
]);

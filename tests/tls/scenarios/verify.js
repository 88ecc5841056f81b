'use strict';
// Every verification outcome of Node 24's tls, one case after another: the server's and the
// client's events, printed once both sockets closed. Twin: verify.py (twnet).
const tls = require('tls');
const fs = require('fs');
const path = require('path');
const D = process.env.TWNET_CERTS;
const f = (n) => fs.readFileSync(path.join(D, n));
const CASES = [
  ['ok', {key: f('server.key'), cert: f('server.pem')}, {ca: f('ca.pem'), servername: 'localhost'}],
  ['ip_no_servername', {key: f('server.key'), cert: f('server.pem')}, {ca: f('ca.pem')}],
  ['self_signed', {key: f('selfsigned.key'), cert: f('selfsigned.pem')}, {ca: f('ca.pem'), servername: 'localhost'}],
  ['unknown_ca', {key: f('server.key'), cert: f('server.pem')}, {ca: f('other-ca.pem'), servername: 'localhost'}],
  ['no_ca', {key: f('server.key'), cert: f('server.pem')}, {servername: 'localhost'}],
  ['root_in_chain', {key: f('server.key'), cert: f('chain.pem')}, {ca: f('other-ca.pem'), servername: 'localhost'}],
  ['wrong_name', {key: f('wrongname.key'), cert: f('wrongname.pem')}, {ca: f('ca.pem'), servername: 'localhost'}],
  ['expired', {key: f('expired.key'), cert: f('expired.pem')}, {ca: f('ca.pem'), servername: 'localhost'}],
  ['unauthorized_allowed', {key: f('selfsigned.key'), cert: f('selfsigned.pem')}, {ca: f('ca.pem'), servername: 'localhost', rejectUnauthorized: false}],
  ['client_cert', {key: f('server.key'), cert: f('server.pem'), ca: f('ca.pem'), requestCert: true}, {ca: f('ca.pem'), servername: 'localhost', key: f('client.key'), cert: f('client.pem')}],
  ['client_cert_missing', {key: f('server.key'), cert: f('server.pem'), ca: f('ca.pem'), requestCert: true}, {ca: f('ca.pem'), servername: 'localhost'}],
  ['client_cert_unknown', {key: f('server.key'), cert: f('server.pem'), ca: f('ca.pem'), requestCert: true}, {ca: f('ca.pem'), servername: 'localhost', key: f('otherclient.key'), cert: f('otherclient.pem')}],
  ['client_cert_optional', {key: f('server.key'), cert: f('server.pem'), ca: f('ca.pem'), requestCert: true, rejectUnauthorized: false}, {ca: f('ca.pem'), servername: 'localhost'}],
  ['client_cert_optional_unknown', {key: f('server.key'), cert: f('server.pem'), ca: f('ca.pem'), requestCert: true, rejectUnauthorized: false}, {ca: f('ca.pem'), servername: 'localhost', key: f('otherclient.key'), cert: f('otherclient.pem')}],
  ['alpn', {key: f('server.key'), cert: f('server.pem'), ALPNProtocols: ['http/1.1', 'x']}, {ca: f('ca.pem'), servername: 'localhost', ALPNProtocols: ['h2', 'x']}],
  ['alpn_none', {key: f('server.key'), cert: f('server.pem'), ALPNProtocols: ['http/1.1']}, {ca: f('ca.pem'), servername: 'localhost', ALPNProtocols: ['h2']}],
  ['tls12', {key: f('server.key'), cert: f('server.pem'), maxVersion: 'TLSv1.2'}, {ca: f('ca.pem'), servername: 'localhost'}],
  ['version_mismatch', {key: f('server.key'), cert: f('server.pem'), minVersion: 'TLSv1.3'}, {ca: f('ca.pem'), servername: 'localhost', maxVersion: 'TLSv1.2'}],
];
const msg = (e) => (e.code && e.code.startsWith('ERR_SSL_') ? '' : ` ${e.message}`);
function runCase([name, sopts, copts], done) {
  const S = [], C = [];
  let open = 2;
  const finish = () => { if (--open === 0) { server.close(); console.log(`== ${name}`); for (const l of S) console.log('server ' + l); for (const l of C) console.log('client ' + l); done(); } };
  const server = tls.createServer(sopts, (s) => {
    S.push(`secureConnection authorized=${s.authorized} authorizationError=${s.authorizationError} servername=${s.servername} alpn=${s.alpnProtocol} protocol=${s.getProtocol()} peerCN=${(s.getPeerCertificate().subject || {}).CN}`);
    s.on('data', (d) => { S.push(`data ${d}`); });
    s.on('end', () => { S.push('end'); s.end('bye'); });
    s.on('error', (e) => S.push(`error ${e.code}${msg(e)}`));
    s.on('close', (h) => { S.push(`close ${h}`); finish(); });
  });
  server.on('tlsClientError', (e, s) => { S.push(`tlsClientError ${e.code}${msg(e)} ${s.constructor.name}`); if (s.destroyed) finish(); else s.on('close', () => finish()); });
  server.listen(0, '127.0.0.1', () => {
    const c = tls.connect({port: server.address().port, host: '127.0.0.1', ...copts});
    c.on('connect', () => C.push('connect'));
    c.on('secureConnect', () => {
      C.push(`secureConnect authorized=${c.authorized} authorizationError=${c.authorizationError} alpn=${c.alpnProtocol} protocol=${c.getProtocol()} encrypted=${c.encrypted} peerCN=${c.getPeerCertificate().subject.CN}`);
      c.end('hello');
    });
    c.on('data', (d) => C.push(`data ${d}`));
    c.on('end', () => C.push('end'));
    c.on('error', (e) => C.push(`error ${e.code}${msg(e)}`));
    c.on('close', (h) => { C.push(`close ${h}`); finish(); });
  });
}
let i = 0;
(function next() { if (i < CASES.length) runCase(CASES[i++], next); })();

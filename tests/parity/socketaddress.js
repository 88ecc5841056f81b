'use strict';
// net.SocketAddress: defaults, families in any case, address spellings, port and flowlabel
// validation, SocketAddress.parse (WHATWG URL host and port rules), isSocketAddress, toJSON,
// and net.Stream being net.Socket.
const net = require('net');
const { log } = require('./_parity.js');

function kind(err) {
  return err instanceof RangeError ? 'RangeError' : err instanceof TypeError ? 'TypeError' : 'Error';
}
function t(what, fn) {
  try {
    const r = fn();
    log(what, r === undefined ? 'undefined' : JSON.stringify(r));
  } catch (err) {
    log(what, kind(err), err);
  }
}
const SA = (o) => new net.SocketAddress(o);
t('default', () => SA());
t('undefined options', () => SA(undefined));
t('v6 default', () => SA({ family: 'ipv6' }));
t('IPv6 spelled', () => SA({ family: 'IPv6', address: '2001:0db8::0001', port: 80, flowlabel: 5 }));
t('IPv4 spelled: default address is ::', () => SA({ family: 'IPv4' }));
t('v4 flowlabel dropped', () => SA({ address: '1.2.3.4', flowlabel: 5 }));
t('mapped', () => SA({ family: 'ipv6', address: '::ffff:1.2.3.4' }));
t('compatible', () => SA({ family: 'ipv6', address: '::1.2.3.4' }));
t('zone name', () => SA({ family: 'ipv6', address: 'fe80::1%lo' }));
t('zone number', () => SA({ family: 'ipv6', address: 'fe80::1%99' }));
t('bad family', () => SA({ family: 'ipv5' }));
t('family number', () => SA({ family: 4 }));
t('family null', () => SA({ family: null }));
t('bad address', () => SA({ address: 'x' }));
t('v6 address as v4', () => SA({ address: '::1' }));
t('leading zero', () => SA({ address: '01.2.3.4' }));
t('address number', () => SA({ address: 5 }));
t('address null', () => SA({ address: null }));
t('port string', () => SA({ port: '80' }));
t('port float', () => SA({ port: 80.5 }));
t('port negative', () => SA({ port: -1 }));
t('port 65536', () => SA({ port: 65536 }));
t('port 65535', () => SA({ port: 65535 }));
t('port bool', () => SA({ port: true }));
t('port null', () => SA({ port: null }));
t('port letters', () => SA({ port: 'abc' }));
t('port empty', () => SA({ port: '' }));
t('flowlabel negative', () => SA({ family: 'ipv6', flowlabel: -1 }));
t('flowlabel string', () => SA({ family: 'ipv6', flowlabel: '1' }));
t('flowlabel 2**32', () => SA({ family: 'ipv6', flowlabel: 2 ** 32 }));
t('flowlabel 1.5', () => SA({ family: 'ipv6', flowlabel: 1.5 }));
t('flowlabel max', () => SA({ family: 'ipv6', flowlabel: 0xfffff }));
t('options string', () => SA('1.2.3.4'));
t('options null', () => SA(null));
t('options array', () => SA([]));
const props = (s) => [s.address, s.port, s.family, s.flowlabel].join(' ');
t('properties', () => props(SA({ address: '1.2.3.4', port: 8 })));
t('toJSON', () => SA({ address: '::1', family: 'ipv6', port: 8 }).toJSON());
for (const input of ['1.2.3.4:8080', '1.2.3.4:80', '1.2.3.4', '[::1]:9', '[2001:0db8::1]', '::1',
  'localhost:80', '1.2.3.4:99999', '1.2.3.4:65535', '1.2.3.4:0', '', ':80', '1.2:80',
  '16909060:80', '0x01.2.3.4:81', '010.2.3.4:80', '[::FFFF:1.2.3.4]:8', '1.2.3.4:80/x',
  'u@1.2.3.4:80', 'a@b@1.2.3.4:7', '1.2.3.4:080', '1.2.3.4.:5', '[fe80::1%25lo]:5', ' 1.2.3.4:5',
  '1.2.3.4:5 ', '%31.2.3.4:5', '1.2.3.4:5x', '1.2.3.256', '1.2.3.4.5', '1.2.\t3.4:6', '0x:1',
  '1.2.3.4?q:9', '1.2.3.4#f', '[::1', '[::1]x', '1..3.4', '4294967295:2', '4294967296:2',
  'EXAMPLE.com:1', '1.2.3.09']) {
  t(`parse ${JSON.stringify(input)}`, () => net.SocketAddress.parse(input));
}
t('parse number', () => net.SocketAddress.parse(5));
t('isSocketAddress', () => [net.SocketAddress.isSocketAddress(SA()), net.SocketAddress.isSocketAddress({ address: '1.2.3.4' }), net.SocketAddress.isSocketAddress(null)]);
t('Stream is Socket', () => net.Stream === net.Socket);

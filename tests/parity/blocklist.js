'use strict';
// net.BlockList: rules and their texts, IPv4-mapped matching, ranges across families, CIDR
// helpers, removal, toJSON/fromJSON and every validation error (class kind, code, message).
const net = require('net');
const { log, fmt } = require('./_parity.js');

function kind(err) {
  return err instanceof RangeError ? 'RangeError' : err instanceof TypeError ? 'TypeError' : 'Error';
}
function show(v) {
  if (Array.isArray(v)) return '[' + v.map((x) => fmt(show(x))).join(' | ') + ']';
  return v;
}
function t(what, fn) {
  try {
    log(what, show(fn()));
  } catch (err) {
    log(what, kind(err), err);
  }
}
// Node lists address rules in its hash table's order: sort when there are several.
const sorted = (b) => [...b.rules].sort();

let b = new net.BlockList();
b.addAddress('1.2.3.4');
b.addRange('10.0.0.1', '10.0.0.10');
b.addRange('2001:db8::1', '2001:db8::ff', 'ipv6');
b.addSubnet('192.168.1.0', 24);
b.addSubnet('192.168.1.77', 24);
b.addSubnet('8592:757c:efae:4e45::', 64, 'IPv6');
b.addCIDR('172.16.0.0/12');
b.addCIDR('fc00::/7');
t('rules', () => b.rules);
t('size', () => b.size);
t('toJSON', () => b.toJSON());
for (const [a, f] of [['1.2.3.4'], ['1.2.3.4', 'ipv6'], ['::ffff:1.2.3.4', 'ipv6'],
  ['::ffff:0102:0304', 'ipv6'], ['::ffff:10.0.0.5', 'ipv6'], ['10.0.0.5'], ['10.0.0.11'],
  ['192.168.1.200'], ['::ffff:192.168.1.200', 'ipv6'], ['2001:db8::80', 'ipv6'],
  ['8592:757c:efae:4e45::99', 'ipv6'], ['nonsense'], ['nonsense', 'ipv6'], ['1.2.3.4', 'IPV4'],
  ['1.2.3.4', 'foo'], ['::ffff:1.2.3.4', 'ipv4'], ['fd00::1', 'ipv6'], ['::1.2.3.4', 'ipv6'],
  ['1.2.3.4%eth0'], ['2001:db8::1%eth0', 'ipv6'], ['01.2.3.4'], ['172.31.255.255'], ['172.32.0.0']]) {
  t(`check ${a} ${f}`, () => b.check(a, f));
}
t('check SocketAddress with port', () => b.check(new net.SocketAddress({ address: '1.2.3.4', port: 99 })));
t('check mapped SocketAddress', () => b.check(new net.SocketAddress({ address: '::ffff:1.2.3.4', family: 'ipv6' }), 'ipv4'));

t('mapped rules', () => {
  const v6 = new net.BlockList();
  v6.addAddress('::ffff:9.9.9.9', 'ipv6');
  v6.addSubnet('::ffff:8.0.0.0', 104, 'ipv6');
  return [...v6.rules, v6.check('9.9.9.9'), v6.check('8.1.2.3'), v6.check('::ffff:9.9.9.9', 'ipv6')];
});
t('mapped range', () => {
  const r = new net.BlockList();
  r.addRange('::ffff:1.1.1.1', '::ffff:1.1.1.9', 'ipv6');
  const r4 = new net.BlockList();
  r4.addRange('1.1.1.1', '1.1.1.9');
  return [r.check('1.1.1.5'), r4.check('::ffff:1.1.1.5', 'ipv6'), r4.check('::1.1.1.5', 'ipv6')];
});
const sub = (net_, prefix, fam, ...checks) => () => {
  const s = new net.BlockList();
  s.addSubnet(net_, prefix, fam);
  return [...s.rules, ...checks.map(([a, f]) => s.check(a, f))];
};
t('prefix 32', sub('1.2.3.4', 32, 'ipv4', ['1.2.3.4'], ['5.6.7.8'], ['::ffff:1.2.3.4', 'ipv6'], ['::ffff:1.2.3.5', 'ipv6']));
t('prefix 0', sub('1.2.3.4', 0, 'ipv4', ['1.2.3.4'], ['255.6.7.8'], ['::ffff:9.9.9.9', 'ipv6'], ['::1', 'ipv6']));
t('prefix 31', sub('1.2.3.4', 31, 'ipv4', ['1.2.3.5'], ['1.2.3.6'], ['::ffff:1.2.3.5', 'ipv6']));
t('prefix v6 0', sub('::', 0, 'ipv6', ['1.2.3.4'], ['::1', 'ipv6']));
t('prefix v6 128', sub('::ffff:1.2.3.4', 128, 'ipv6', ['1.2.3.4'], ['1.2.3.5']));
t('prefix v6 96', sub('::ffff:0.0.0.0', 96, 'ipv6', ['1.2.3.4'], ['::1', 'ipv6']));
t('prefix v6 100', sub('::ffff:16.0.0.0', 100, 'ipv6', ['16.2.3.4'], ['31.2.3.4'], ['32.0.0.0']));
t('v4 subnet mapped', sub('10.0.0.0', 8, 'ipv4', ['::ffff:10.2.3.4', 'ipv6'], ['::ffff:11.2.3.4', 'ipv6'], ['::10.2.3.4', 'ipv6']));
t('subnet not normalized', sub('10.1.2.3', 8, 'ipv4', ['10.9.9.9']));
t('subnet -0', sub('10.1.2.3', -0, 'ipv4'));
t('subnet SocketAddress v6 prefix', sub(new net.SocketAddress({ address: '::', family: 'ipv6' }), 100, 'ipv4'));

const V4 = (address) => new net.SocketAddress({ address });
const V6 = (address) => new net.SocketAddress({ address, family: 'ipv6' });
t('range v4 to mapped', () => {
  const r = new net.BlockList();
  r.addRange(V4('1.1.1.1'), V6('::ffff:1.1.1.9'));
  return [...r.rules, r.check('1.1.1.5'), r.check('::ffff:1.1.1.5', 'ipv6'), r.check('::1', 'ipv6')];
});
t('range v4 to v6', () => {
  const r = new net.BlockList();
  r.addRange(V4('1.1.1.1'), V6('::1'));
  return [...r.rules, r.check('1.1.1.5')];
});
t('range v6 to v4', () => {
  const r = new net.BlockList();
  r.addRange(V6('::1'), V4('1.1.1.9'));
  return [...r.rules, r.check('1.1.1.5'), r.check('::5', 'ipv6')];
});
t('range equal ends', () => { const r = new net.BlockList(); r.addRange('10.0.0.1', '10.0.0.1'); return r.rules; });

const fresh = (fn) => () => { const x = new net.BlockList(); return fn(x); };
t('range reversed', fresh((x) => x.addRange('10.0.0.10', '10.0.0.1')));
t('range v6 reversed', fresh((x) => x.addRange('::2', '::1', 'ipv6')));
t('bad address', fresh((x) => x.addAddress('nope')));
t('v4 text as ipv6', fresh((x) => x.addAddress('1.2.3.4', 'ipv6')));
t('bad family', fresh((x) => x.addAddress('1.2.3.4', 'ipv5')));
t('family upper case', fresh((x) => { x.addAddress('1.2.3.4', 'IPV4'); return x.rules; }));
t('address number', fresh((x) => x.addAddress(5)));
t('family number', fresh((x) => x.addAddress('1.2.3.4', 4)));
t('family null', fresh((x) => x.addAddress('1.2.3.4', null)));
t('subnet 33', fresh((x) => x.addSubnet('1.2.3.4', 33)));
t('subnet -1', fresh((x) => x.addSubnet('1.2.3.4', -1)));
t('subnet 1.5', fresh((x) => x.addSubnet('1.2.3.4', 1.5)));
t('subnet string prefix', fresh((x) => x.addSubnet('1.2.3.4', '8')));
t('subnet NaN', fresh((x) => x.addSubnet('1.2.3.4', NaN)));
t('subnet v6 129', fresh((x) => x.addSubnet('::', 129, 'ipv6')));
t('subnet v4 64', fresh((x) => x.addSubnet('1.2.3.4', 64)));
t('subnet bad network', fresh((x) => x.addSubnet('x', 8)));
t('subnet network number', fresh((x) => x.addSubnet(5, 8)));
t('range start number', fresh((x) => x.addRange(5, '1.1.1.1')));
t('range end number', fresh((x) => x.addRange('1.1.1.1', 5)));
t('check number', fresh((x) => x.check(5)));
t('check family number', fresh((x) => x.check('1.2.3.4', 4)));
t('check object', fresh((x) => x.check({ address: '1.2.3.4' })));
t('cidr without prefix', fresh((x) => x.addCIDR('1.2.3.4')));
t('cidr prefix 08', fresh((x) => x.addCIDR('1.2.3.4/08')));
t('cidr prefix +8', fresh((x) => x.addCIDR('1.2.3.4/+8')));
t('cidr prefix -0', fresh((x) => x.addCIDR('1.2.3.4/-0')));
t('cidr prefix -5', fresh((x) => x.addCIDR('1.2.3.4/-5')));
t('cidr prefix huge', fresh((x) => x.addCIDR('1.2.3.4/123456789012345678901234')));
t('cidr prefix 33', fresh((x) => x.addCIDR('1.2.3.4/33')));
t('cidr bad address', fresh((x) => x.addCIDR('x/8')));
t('cidr number', fresh((x) => x.addCIDR(5)));
t('cidr v6', fresh((x) => { x.addCIDR('2001:db8::/32'); return [...x.rules, x.check('2001:db8:1::1', 'ipv6')]; }));
t('cidrs not a list', fresh((x) => x.addCIDRs('1.2.3.0/24')));
t('cidrs bad item', fresh((x) => x.addCIDRs(['1.2.3.0/24', 5])));
t('cidrs bad prefix adds nothing', fresh((x) => { try { x.addCIDRs(['1.2.3.0/24', '1.2.3.4']); } catch (e) { return [e.code, x.size]; } }));
t('cidrs bad address adds the first', fresh((x) => { try { x.addCIDRs(['1.2.3.0/24', 'x/4']); } catch (e) { return [e.code, ...x.rules]; } }));
t('private ranges', fresh((x) => { x.addCIDRs(net.BlockList.PRIVATE_RANGES); return [...net.BlockList.PRIVATE_RANGES, x.size, x.check('10.0.0.1'), x.check('127.0.0.1'), x.check('8.8.8.8'), x.check('fe80::1', 'ipv6'), x.check('::ffff:192.168.0.1', 'ipv6')]; }));
t('addresses', fresh((x) => { x.addAddresses(['1.1.1.1', '2.2.2.2']); return [...sorted(x), x.size]; }));
t('addresses v6 and SocketAddress', fresh((x) => { x.addAddresses(['::1', V4('3.3.3.3')], 'ipv6'); return sorted(x); }));
t('addresses bad adds nothing', fresh((x) => { try { x.addAddresses(['1.1.1.1', 'x']); } catch (e) { return [e.code, x.size]; } }));
t('addresses bad type', fresh((x) => { try { x.addAddresses(['1.1.1.1', 4]); } catch (e) { return [kind(e), e.code, e.message.split(' Received')[0], x.size]; } }));
t('addresses not a list', fresh((x) => x.addAddresses('1.1.1.1')));
t('addresses bad family', fresh((x) => x.addAddresses([], 4)));
t('duplicate address across families', fresh((x) => { x.addAddress('1.2.3.4'); x.addAddress('::ffff:1.2.3.4', 'ipv6'); return [x.size, ...x.rules]; }));
t('remove', fresh((x) => {
  x.addAddress('1.1.1.1'); x.addAddress('1.1.1.1');
  x.addRange('1.0.0.0', '1.0.0.5'); x.addRange('1.0.0.0', '1.0.0.5');
  x.addSubnet('9.0.0.0', 8); x.addSubnet('9.0.0.0', 8);
  const before = [...x.rules];
  x.removeAddress('1.1.1.1'); x.removeRange('1.0.0.0', '1.0.0.5'); x.removeSubnet('9.0.0.0', 8);
  return [...before, '->', ...x.rules, x.size, x.check('9.1.1.1'), x.check('1.0.0.3'), x.check('1.1.1.1')];
}));
t('remove subnet needs the same address', fresh((x) => { x.addSubnet('9.1.0.0', 8); x.removeSubnet('9.0.0.0', 8); const r1 = [...x.rules]; x.removeCIDR('9.1.0.0/8'); return [...r1, '->', ...x.rules]; }));
t('remove nested subnet', fresh((x) => { x.addSubnet('9.0.0.0', 16); x.addSubnet('9.0.0.0', 8); x.removeSubnet('9.0.0.0', 8); return [x.check('9.1.1.1'), x.check('9.0.1.1'), ...x.rules]; }));
t('remove subnet other family', fresh((x) => { x.addSubnet('9.0.0.0', 8); x.removeSubnet('::ffff:9.0.0.0', 104, 'ipv6'); return [x.check('9.1.1.1'), ...x.rules]; }));
t('remove v6 address other spelling', fresh((x) => { x.addAddress('2001:db8::1', 'ipv6'); x.removeAddress('2001:0db8:0::1', 'ipv6'); return x.size; }));
t('remove mapped address', fresh((x) => { x.addAddress('1.2.3.4'); x.removeAddress('::ffff:1.2.3.4', 'ipv6'); return [x.size, x.check('1.2.3.4')]; }));
t('remove address with port', fresh((x) => { x.addAddress(new net.SocketAddress({ address: '1.1.1.1', port: 5 })); x.removeAddress('1.1.1.1'); return x.size; }));
t('remove range other family', fresh((x) => { x.addRange('1.1.1.1', '1.1.1.9'); x.removeRange('::ffff:1.1.1.1', '::ffff:1.1.1.9', 'ipv6'); return x.rules; }));
t('remove range reversed', fresh((x) => { x.removeRange('1.2.3.4', '1.2.3.1'); return x.size; }));
t('remove bad address', fresh((x) => x.removeAddress('x')));
t('remove bad prefix', fresh((x) => x.removeSubnet('1.2.3.4', 40)));
t('remove cidr bad', fresh((x) => x.removeCIDR('1.2.3.4')));
t('clear', fresh((x) => { x.addAddress('1.1.1.1'); x.addCIDR('1.0.0.0/8'); x.clear(); return [x.size, x.rules.length, x.check('1.1.1.1')]; }));
t('isBlockList', () => [net.BlockList.isBlockList(new net.BlockList()), net.BlockList.isBlockList({}), net.BlockList.isBlockList(null), net.BlockList.isBlockList()]);
t('zone', fresh((x) => { x.addAddress('fe80::1%lo', 'ipv6'); return [...x.rules, x.check('fe80::1%lo', 'ipv6'), x.check('fe80::1%', 'ipv6')]; }));
t('fromJSON', fresh((x) => { x.fromJSON(['Subnet: IPv4 192.168.1.0/24', 'Range: IPv4 192.168.2.1-192.168.2.10', 'Subnet: IPv6 2001:0db8:85a3:0000:0000:8a2e:0370:7334/64', 'range: ipv6 ::1-::9', 'junk', 'Address: IPv4 10.0.0.5 and more', 'x Address: IPv6 ::5']); return sorted(x); }));
t('fromJSON text', fresh((x) => { x.fromJSON(JSON.stringify(['Address: IPv4 10.0.0.5'])); return x.rules; }));
t('fromJSON round trip', fresh((x) => { x.addAddress('1.1.1.1'); x.addRange('::1', '::5', 'ipv6'); x.addSubnet('10.0.0.0', 8); const c = new net.BlockList(); c.fromJSON(x.toJSON()); return [...x.rules, '->', ...c.rules]; }));
t('fromJSON bad address', fresh((x) => x.fromJSON(['Address: IPv4 999.1.1.1'])));
t('fromJSON bad prefix', fresh((x) => x.fromJSON(['Subnet: IPv4 1.2.3.4/40'])));
t('fromJSON text not a list', fresh((x) => x.fromJSON('{"a":1}')));
t('fromJSON number item', fresh((x) => x.fromJSON([1])));
t('fromJSON object', fresh((x) => x.fromJSON({})));

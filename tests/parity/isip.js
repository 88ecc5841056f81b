'use strict';
// isIP / isIPv4 / isIPv6 on addresses, near-misses and non-strings.
const net = require('net');
const { log } = require('./_parity.js');

const inputs = [
  '127.0.0.1', '0.0.0.0', '255.255.255.255', '256.0.0.1', '1.2.3', '01.2.3.4', '1.2.3.4 ',
  '::1', '::', 'fe80::1%eth0', '2001:db8::ff00:42:8329', '::ffff:127.0.0.1', '1::2::3',
  'fhqwhgads', '', 'localhost', '[::1]', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9',
];
inputs.forEach((input, i) => {
  log(String(i).padStart(2, '0'), JSON.stringify(input), net.isIP(input), net.isIPv4(input), net.isIPv6(input));
});

"""socket.timeout: undefined before setTimeout, the value after setTimeout(n), 0 after
setTimeout(0)."""

from _parity import log

import twnet as net

c = net.Socket()
log("a", "initial", c.timeout)
c.setTimeout(1000)
log("a", "after setTimeout(1000)", c.timeout)
c.setTimeout(0)
log("a", "after setTimeout(0)", c.timeout)

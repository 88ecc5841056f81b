"""createServer() with options that are not an object: ERR_INVALID_ARG_TYPE and its message."""

from _parity import log

import twnet as net

for bad in [5, "x", True]:
    try:
        net.createServer(bad)
        log("a", "no error")
    except Exception as err:
        log("a", isinstance(err, TypeError), err)

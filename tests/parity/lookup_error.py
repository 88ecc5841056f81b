"""A custom lookup that fails: 'lookup' with the error, then 'error', then 'close' true."""

from _parity import log, set_timeout

import twnet as net


def lookup(host, opts, cb):
    err = OSError(f"getaddrinfo ENOTFOUND {host}")
    err.code = "ENOTFOUND"
    set_timeout(1, cb, err)


def main():
    c = net.connect(
        {"port": 9, "host": "parity.invalid", "lookup": lookup}, lambda: log("c", "connect")
    )
    c.on(
        "lookup",
        lambda err, address=None, family=None, host=None: log(
            "c", "lookup", err, address, family, host
        ),
    )
    c.on("error", lambda err: log("c", "error event", err.code, str(err)))
    c.on("close", lambda had_error: log("c", "close", had_error, c.destroyed))


net.run(main)

"""A custom lookup function: what it is asked, the 'lookup' event's arguments, then 'connect'
(default autoSelectFamily, then autoSelectFamily: false)."""

from _parity import log, set_timeout

import twnet as net


def lookup(host, opts, cb):
    log("l", "lookup called", host, opts.get("all") is True)
    # Asynchronously, as dns.lookup answers (a synchronous answer comes before any listener).
    if opts.get("all"):
        set_timeout(1, cb, None, [{"address": "127.0.0.1", "family": 4}])
    else:
        set_timeout(1, cb, None, "127.0.0.1", 4)


def main():
    server = net.createServer(lambda c: c.end())

    def on_listening():
        port = server.address()["port"]
        a = net.connect(
            {"port": port, "host": "parity.invalid", "lookup": lookup},
            lambda: log("a", "connect", a.remoteAddress),
        )
        a.on(
            "lookup",
            lambda err, address, family, host: log("a", "lookup", err, address, family, host),
        )

        def a_close(had_error):
            b = net.connect(
                {
                    "port": port,
                    "host": "parity.invalid",
                    "lookup": lookup,
                    "autoSelectFamily": False,
                },
                lambda: log("b", "connect", b.remoteAddress),
            )
            b.on(
                "lookup",
                lambda err, address, family, host: log("b", "lookup", err, address, family, host),
            )
            b.on("close", lambda had_error: server.close())

        a.on("close", a_close)

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)

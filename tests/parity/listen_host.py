"""listen(0, '127.0.0.1', cb) and listen(0, '::1', 511, cb): the bound address and family."""

from _parity import log

import twnet as net


def main():
    s4 = net.createServer()

    def on4():
        a = s4.address()
        log(
            "s4",
            "listening",
            a["address"],
            a["family"],
            "number" if isinstance(a["port"], int) else "?",
        )
        s4.close(lambda err=None: log("s4", "closed"))

    s4.listen(0, "127.0.0.1", on4)
    s6 = net.createServer()

    def on6():
        a = s6.address()
        log("s6", "listening", a["address"], a["family"])
        s6.close(lambda err=None: log("s6", "closed"))

    s6.listen(0, "::1", 511, on6)


net.run(main)

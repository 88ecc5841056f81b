"""Addresses after close: a closed UNIX server's address() is still its path (a TCP server's is
null); a socket's localAddress/localPort/localFamily and address() are gone once it is
destroyed while the remote ones read before stay; resetAndDestroy() on a UNIX socket throws
ERR_INVALID_HANDLE_TYPE and leaves the socket open."""

import json
import os

from _parity import TMP, log, mask

import twnet as net


def locals_(tag, label, s):
    log(
        tag,
        label,
        s.localAddress,
        s.localPort,
        s.localFamily,
        json.dumps(s.address(), separators=(",", ":")),
        s.remoteAddress,
        s.remotePort,
        s.remoteFamily,
    )


def main():
    mask(TMP, "TMP")
    unix = net.createServer(lambda c: c.resume())

    def unix_listening():
        def on_connect():
            try:
                c.resetAndDestroy()
                log("u", "no throw")
            except Exception as err:
                log("u", "throws", err, isinstance(err, TypeError))
            log("u", "destroyed", c.destroyed)
            c.end()

        c = net.connect(unix.address(), on_connect)

        def on_close(had_error):
            log("u", "close", had_error)
            unix.close(lambda: log("u", "server closed", unix.address()))
            log("u", "server closing", unix.address())

        c.on("close", on_close)

    unix.listen(os.path.join(TMP, "addr.sock"), unix_listening)

    tcp = net.createServer(lambda c: c.resume())

    def tcp_listening():
        def on_connect():
            mask(c.localPort, "LPORT")
            mask(c.remotePort, "RPORT")
            locals_("t", "open", c)
            c.destroy()
            locals_("t", "destroyed", c)

        c = net.connect(tcp.address()["port"], "127.0.0.1", on_connect)

        def on_close(had_error):
            locals_("t", "close", c)
            tcp.close(lambda: log("t", "server closed", tcp.address()))

        c.on("close", on_close)

    tcp.listen(0, "127.0.0.1", tcp_listening)


net.run(main)

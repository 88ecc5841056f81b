"""Host names the resolver refuses ('a..b', a 64-character label, U+2028): connect gives
'lookup' with the error, 'error' (ENOTFOUND / EINVAL, syscall getaddrinfo, hostname), then
'close' true; listen(0, host) gives 'error' and never listens. A UNIX path longer than
sun_path: connect is destroyed at once (EINVAL), then 'error' and 'close' true."""

from _parity import log, mask

import twnet as net


def watch(tag, host):
    c = net.connect(80, host, lambda: log(tag, "connect"))
    log(tag, "connecting", c.connecting)
    c.on(
        "lookup",
        lambda err, address, family, h: log(
            tag, "lookup", err, address is None, family is None, h == host
        ),
    )
    c.on("error", lambda err: log(tag, "error", err, err.syscall, err.hostname == host))

    def on_close(had_error):
        log(tag, "close", had_error, c.destroyed)
        server = net.createServer()
        server.on("error", lambda err: log(tag, "listen error", err, err.syscall, server.listening))

        def on_listening():
            log(tag, "listening")
            server.close()

        server.on("listening", on_listening)
        server.listen(0, host)

    c.on("close", on_close)


def main():
    for tag, host in (("dots", "a..b"), ("label", "a" * 64), ("u2028", "a\u2028b")):
        watch(tag, host)
    path = "/tmp/" + "x" * 120
    mask(path, "LONGPATH")
    u = net.connect(path, lambda: log("unix", "connect"))
    log("unix", "connecting", u.connecting, u.destroyed)
    u.on("error", lambda err: log("unix", "error", err, err.syscall, err.address == path))
    u.on("close", lambda had_error: log("unix", "close", had_error))


net.run(main)

"""The blockList option of connect: a blocked IP literal fails with ERR_IP_BLOCKED after
'connectionAttempt' ('error' then 'close'); with autoSelectFamily a blocked address is a
failed attempt and the next address is tried; every address blocked gives an
AggregateError; a UNIX path is never checked; a bad blockList is refused at once."""

import os

from _parity import TMP, log, mask, set_timeout

import twnet as net

blocked = net.BlockList()
blocked.addAddress("127.0.0.1")
everything = net.BlockList()
everything.addSubnet("::", 0, "ipv6")


def watch(tag, sock, done):
    for name in [
        "lookup",
        "connectionAttempt",
        "connectionAttemptFailed",
        "connectionAttemptTimeout",
        "connect",
    ]:
        sock.on(name, lambda *args, name=name: log(tag, name, *args))

    def on_error(err):
        errors = getattr(err, "errors", None) or []
        log(tag, "error", err, isinstance(err, Exception), " / ".join(e.message for e in errors))

    def on_close(had_error):
        tried = sock.autoSelectFamilyAttemptedAddresses
        log(tag, "close", had_error, f"[{', '.join(tried)}]" if tried is not None else None)
        done()

    sock.on("error", on_error)
    sock.on("close", on_close)


def attempt(what, fn):
    try:
        fn()
        log(what, "no error")
    except Exception as err:
        log(what, "TypeError" if isinstance(err, TypeError) else "Error", err)


attempt("bad blockList", lambda: net.connect({"port": 1, "blockList": {}}))
attempt("bad blockList server", lambda: net.createServer({"blockList": []}))
attempt(
    "falsy blockList",
    lambda: net.connect({"port": 1, "host": "127.0.0.1", "blockList": 0}).destroy(),
)


def lookup(host, opts, cb):
    addresses = [{"address": "127.0.0.1", "family": 4}, {"address": "::1", "family": 6}]
    set_timeout(0, cb, None, addresses)


def main():
    server = net.createServer(lambda c: c.end("hi"))

    def on_listening():
        port = server.address()["port"]
        mask(port, "PORT")
        sock_path = os.path.join(TMP, "s.sock")
        unix = net.createServer(lambda c: c.end("unix"))
        left = [4]

        def done():
            left[0] -= 1
            if left[0] == 0:
                server.close()
                unix.close()

        def on_unix():
            a = net.connect({"port": port, "host": "127.0.0.1", "blockList": blocked})
            log("a", "blockList kept", a.blockList is blocked)
            watch("a", a, done)
            b = net.connect(port=port, host="dual.test", lookup=lookup, block_list=blocked)
            watch("b", b, done)
            b.on("data", lambda d: log("b", "data", d))
            c = net.connect(
                {"port": port, "host": "dual.test", "lookup": lookup, "blockList": everything}
            )
            watch("c", c, done)
            d = net.connect({"path": sock_path, "blockList": everything})
            watch("d", d, done)
            d.on("data", lambda x: log("d", "data", x))

        unix.listen(sock_path, on_unix)

    server.listen(0, "::", on_listening)


net.run(main)

"""Bad arguments throw at once: the error's class kind, code and message (messages compared up
to " Received ...", where Node quotes JavaScript types and twnet Python types)."""

from _parity import log

import twnet as net


def attempt(what, fn):
    try:
        fn()
        log(what, "no error")
    except Exception as err:
        kind = (
            "RangeError"
            if isinstance(err, ValueError)
            else "TypeError"
            if isinstance(err, TypeError)
            else "Error"
        )
        log(what, kind, err)


def set_max(server):
    server.maxConnections = "x"


attempt("connect 70000", lambda: net.connect(70000))
attempt("connect -1", lambda: net.connect(-1))
attempt("connect no args", lambda: net.connect())
attempt("connect empty options", lambda: net.connect({}))
attempt("connect port object", lambda: net.connect({"port": {}}))
attempt("listen 65536", lambda: net.createServer().listen(65536))
attempt("listen -1", lambda: net.createServer().listen(-1))
attempt("listen options without port", lambda: net.createServer().listen({"host": "localhost"}))
attempt("setTimeout string", lambda: net.Socket().setTimeout("10"))
attempt("setTimeout negative", lambda: net.Socket().setTimeout(-5))
attempt("setTimeout bad callback", lambda: net.Socket().setTimeout(10, "x"))
attempt("write number", lambda: net.Socket().write(5))
attempt("write null", lambda: net.Socket().write(None))
attempt("unknown encoding", lambda: net.Socket().write("x", "no-such-encoding"))
attempt("setEncoding bad", lambda: net.Socket().setEncoding("no-such-encoding"))
attempt("connect bad host", lambda: net.connect({"port": 80, "host": 5}))
attempt("connect bad localAddress", lambda: net.connect({"port": 80, "localAddress": "nope"}))
attempt("maxConnections", lambda: set_max(net.createServer()))

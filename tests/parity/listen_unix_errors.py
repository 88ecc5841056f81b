"""UNIX-socket listen errors: a path that already exists (EADDRINUSE) and a path too long for
sockaddr_un (EINVAL); 'error' code, syscall and message."""

import os

from _parity import TMP, log, mask

import twnet as net


def main():
    mask(TMP, "TMP")
    taken = os.path.join(TMP, "taken.sock")
    open(taken, "w").close()
    cases = [
        ("exists", taken),
        ("too-long", os.path.join(TMP, "x" * 120 + ".sock")),
    ]
    pending = list(cases)

    def next_case(*_):
        if not pending:
            return
        tag, p = pending.pop(0)
        server = net.createServer()

        def on_error(err, tag=tag, server=server):
            log(tag, "error", err.code, err.syscall, server.listening)
            log(tag, "message", str(err))
            next_case()

        def on_listening(tag=tag, server=server):
            log(tag, "listening")
            server.close(next_case)

        server.on("error", on_error)
        server.listen(p, on_listening)

    next_case()


net.run(main)

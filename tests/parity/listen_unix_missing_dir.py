"""UNIX-socket listen on a path in a missing directory: libuv reports ENOENT from bind() as
EACCES ('listen EACCES: permission denied PATH')."""

import os

from _parity import TMP, log, mask

import twnet as net


def main():
    mask(TMP, "TMP")
    cases = [("missing-dir", os.path.join(TMP, "no", "such", "dir.sock"))]
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

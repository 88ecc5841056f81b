"""UNIX-socket connect errors: ENOENT for a missing path, ECONNREFUSED for a path that is not a
listening socket; each 'error' (code, syscall, address, message) then 'close' true."""

import os

from _parity import TMP, log, mask

import twnet as net


def main():
    mask(TMP, "TMP")
    plain = os.path.join(TMP, "plainfile")
    with open(plain, "w") as f:
        f.write("not a socket")
    a = net.connect(os.path.join(TMP, "missing.sock"), lambda: log("a", "connect"))
    a.on("error", lambda err: log("a", "error", err, err.syscall, err.address))

    def a_close(had_error):
        log("a", "close", had_error)
        b = net.connect({"path": plain}, lambda: log("b", "connect"))
        b.on("error", lambda err: log("b", "error", err, err.syscall, err.address))
        b.on("close", lambda had_error: log("b", "close", had_error))

    a.on("close", a_close)


net.run(main)

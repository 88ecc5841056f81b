"""readableAll / writableAll of a UNIX listen: the socket file's mode gains read / write
permission for everyone (added to what bind() gave under the umask); only the value true
counts; an abstract path refuses either option at once; a TCP listen ignores them."""

import os

from _parity import TMP, log

import twnet as net

os.umask(0o077)
cases = [
    ("none", {}),
    ("readableAll", {"readableAll": True}),
    ("writableAll", {"writable_all": True}),
    ("both", {"readableAll": True, "writableAll": True}),
    ("truthy but not true", {"readableAll": 1, "writableAll": "yes"}),
]


def attempt(what, fn):
    try:
        fn()
        log(what, "no error")
    except Exception as err:
        log(what, "TypeError" if isinstance(err, TypeError) else "Error", err)


attempt(
    "abstract readableAll",
    lambda: net.createServer().listen({"path": "\0twnet-abstract", "readableAll": True}),
)
attempt(
    "abstract writableAll truthy",
    lambda: net.createServer().listen(path="\0twnet-abstract", writable_all="yes"),
)


def step(i):
    if i == len(cases):
        tcp = net.createServer()

        def on_tcp():
            log("tcp", "listening", tcp.listening)
            tcp.close()

        tcp.listen(
            {"port": 0, "host": "127.0.0.1", "readableAll": True, "writableAll": True}, on_tcp
        )
        return
    name, extra = cases[i]
    p = os.path.join(TMP, f"m{i}.sock")
    server = net.createServer()

    def on_listening():
        log(name, "mode", format(os.stat(p).st_mode & 0o777, "o"))
        server.close(lambda *_: step(i + 1))

    server.listen({"path": p, **extra}, on_listening)


net.run(lambda: step(0))

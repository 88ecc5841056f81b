"""The spec's EADDRINUSE retry: on 'error', wait (50 ms here), server.close(), listen again;
the port has been freed meanwhile, so the retry listens."""

from _parity import log, set_timeout

import twnet as net


def main():
    blocker = net.createServer()

    def on_blocker():
        PORT = blocker.address().port
        HOST = "127.0.0.1"
        server = net.createServer()
        tries = 0

        def retry():
            server.close()
            server.listen(PORT, HOST)

        def on_error(e):
            if e.code == "EADDRINUSE":
                log("s", "Address in use, retrying...")
                blocker.close()
                set_timeout(50, retry)

        def on_listening():
            nonlocal tries
            tries += 1
            log("s", "listening", tries, server.address().port == PORT)
            server.close()

        server.on("error", on_error)
        server.on("close", lambda: log("s", "close event"))
        server.on("listening", on_listening)
        server.listen(PORT, HOST)

    blocker.listen(0, "127.0.0.1", on_blocker)


net.run(main)

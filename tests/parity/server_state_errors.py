"""Server state errors: close() on a server that is not running (callback with
ERR_SERVER_NOT_RUNNING, and a 'close' event), listen() twice (ERR_SERVER_ALREADY_LISTEN),
address() before listening."""

from _parity import log

import twnet as net


def main():
    idle = net.createServer()
    log("a", "address before listen", idle.address())
    idle.on("close", lambda: log("a", "close event"))
    idle.close(lambda err=None: log("a", "close callback", err))
    log("a", "close called")

    busy = net.createServer()

    def on_listening():
        try:
            busy.listen(0, "127.0.0.1")
            log("b", "second listen: no error")
        except Exception as err:
            log("b", "second listen", err)
        busy.close(lambda err=None: log("b", "close callback", err))
        busy.close(lambda err=None: log("b", "second close callback", err))

    busy.listen(0, "127.0.0.1", on_listening)


net.run(main)

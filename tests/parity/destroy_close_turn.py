"""After destroy(), 'close' comes on a later turn of the loop: after the nextTick callbacks
queued right after destroy(), after the ERR_STREAM_DESTROYED callbacks of writes made after
it (and the ticks they queue), after the immediates; before a timer set then. The same for a
socket still connecting, one destroyed with an error, and one that never had a connection
(whose 'close' comes on the next tick)."""

from _parity import log

import twnet as net


def watch(tag, s, after):
    def on_error(err):
        log(tag, "error", str(err))
        net.nextTick(lambda: log(tag, "tick queued by error"))

    def on_close(had_error):
        log(tag, "close", had_error is True)
        net.nextTick(lambda: log(tag, "tick queued by close"))
        after()

    s.on("error", on_error)
    s.on("close", on_close)


def destroy_now(tag, c, error=None):
    c.destroy(error)
    net.nextTick(lambda: log(tag, "tick 1"))

    def on_written(err):
        log(tag, "write callback", err.code)
        net.nextTick(lambda: log(tag, "tick queued by write callback"))

    log(tag, "write", c.write("x", on_written))
    net.nextTick(lambda: log(tag, "tick 2"))
    net.setImmediate(lambda: log(tag, "immediate"))
    net.setTimeout(lambda: log(tag, "timeout"), 0)
    c.end("y", lambda err: log(tag, "end callback", err.code))
    log(tag, "sync done", c.destroyed)


def main():
    done = 0

    def on_connection(c):
        c.on("error", lambda err: None)
        c.resume()

    server = net.createServer(on_connection)

    def finish():
        nonlocal done
        done += 1
        if done == 4:
            server.close()

    def on_listening():
        port = server.address()["port"]

        def a_connected():
            destroy_now("a", a)
            # from a callback of the loop's poll phase, as 'a': a socket still connecting,
            # and one that never had a connection (whose 'close' Node emits on the next tick)
            c = net.connect(port, "127.0.0.1")
            destroy_now("c", c)
            watch("c", c, finish)
            d = net.Socket()
            destroy_now("d", d)
            watch("d", d, finish)

        a = net.connect(port, "127.0.0.1", a_connected)
        watch("a", a, finish)
        b = net.connect(port, "127.0.0.1", lambda: destroy_now("b", b, Exception("boom")))
        watch("b", b, finish)

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)

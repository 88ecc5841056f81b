"""The onread option: data copied into the caller's buffer, at most its size per read, and
handed to callback(nread, buffer) with no 'data' event; a buffer function is asked for each
next buffer; a callback returning false stops reading until resume(); pause() stops it at
once (but, as in Node, not a _read deferred to 'connect' by a 'data' listener); 'end',
'close' and bytesRead as usual; an onread of another shape is ignored."""

from _parity import log, set_timeout

import twnet as net


def main():
    def on_connection(c):
        def first(what):
            if bytes(what) == b"slow":
                c.write("hello ")
                set_timeout(50, c.end, "world, twice over")
            else:
                c.end("hello world, twice over")

        c.once("data", first)

    server = net.createServer(on_connection)

    def client(tag, onread, ask, done):
        c = net.connect({"port": server.address()["port"], "host": "127.0.0.1", "onread": onread})
        c.on("data", lambda d: log(tag, "data", d))
        c.on("end", lambda: log(tag, "end", c.bytesRead))

        def on_close(had_error):
            log(tag, "close", had_error)
            done(c)

        c.on("close", on_close)
        c.on("connect", lambda: c.write(ask or "go"))
        return c

    def step_a():
        fixed = bytearray(4)

        def callback(nread, buf):
            log("a fixed", "read", nread, buf is fixed, buf[:nread].decode("latin1"))

        client("a fixed", {"buffer": fixed, "callback": callback}, None, lambda c: step_b())

    def step_b():
        made = [0]

        def make():
            made[0] += 1
            return bytearray(5 + made[0])

        def callback(nread, buf):
            log("b function", "read", nread, len(buf), made[0], buf[:nread].decode("latin1"))

        client("b function", {"buffer": make, "callback": callback}, None, lambda c: step_c())

    def step_c():
        reads = [0]
        holder = []

        def callback(nread, buf):
            c = holder[0]
            reads[0] += 1
            log("c false pauses", "read", nread, bytes(buf[:nread]).decode("latin1"), c.isPaused())
            if reads[0] == 1:

                def later():
                    log("c false pauses", "resume after", reads[0])
                    c.resume()

                set_timeout(100, later)
                return False
            return 0 if reads[0] == 2 else None  # only False pauses

        holder.append(
            client(
                "c false pauses",
                {"buffer": memoryview(bytearray(8)), "callback": callback},
                None,
                lambda c: step_d(),
            )
        )

    def step_d():
        def callback(nread, buf):
            log("d pause", "read", nread, bytes(buf[:nread]).decode("latin1"))

        options = {"buffer": bytearray(64), "callback": callback}
        d = client("d pause", options, "slow", lambda c: step_e())

        def on_connect():
            d.pause()
            log("d pause", "paused", d.isPaused())

            def later():
                log("d pause", "resume")
                d.resume()

            set_timeout(150, later)

        d.once("connect", on_connect)

    def step_e():
        client(
            "e bad shapes ignored",
            {"buffer": "x", "callback": lambda *_: log("e", "never")},
            None,
            lambda c: step_f(),
        )

    def step_f():
        client(
            "f bad callback ignored",
            {"buffer": bytearray(4), "callback": 5},
            None,
            lambda c: step_g(),
        )

    def step_g():
        g = net.connect(
            port=server.address()["port"],
            host="127.0.0.1",
            onread={
                "buffer": bytearray(64),
                "callback": lambda nread, buf: log("g paused at connect", "read", nread),
            },
        )

        def on_connect():
            g.write("go")
            g.pause()

        g.on("connect", on_connect)
        g.on("end", lambda: log("g paused at connect", "end"))
        g.on("close", lambda *_: server.close())

        def later():
            log("g paused at connect", "resume")
            g.resume()

        set_timeout(100, later)

    server.listen(0, step_a)


net.run(main)

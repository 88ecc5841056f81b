"""A socket piped twice to the same destination writes each chunk twice; unpipe(dest) removes
one of the two pipes (and its listeners), a second unpipe(dest) the other, then the source
stops flowing and keeps what arrives."""

from _parity import log

import twnet as net


def main():
    state = {"feed": None, "received": "", "expect": 0, "next": None}

    def counts(label, src, dest):
        log(
            "s",
            label,
            src.listenerCount("data"),
            src.listenerCount("end"),
            dest.listenerCount("unpipe"),
            dest.listenerCount("error"),
            dest.listenerCount("close"),
            dest.listenerCount("finish"),
            src.readableFlowing,
        )

    def send(text, total, then):
        state["expect"] = total
        state["next"] = then
        state["feed"].write(text)

    def on_connection(c):
        if state["feed"] is None:
            state["feed"] = c
            return
        c.setEncoding("utf8")

        def on_data(d):
            state["received"] += d
            if len(state["received"]) == state["expect"] and state["next"]:
                then, state["next"] = state["next"], None
                log("s", "received", state["received"])
                then()

        c.on("data", on_data)

    server = net.createServer(on_connection)

    def on_listening():
        port = server.address()["port"]

        def src_connected():
            def dest_connected():
                src.pipe(dest)
                src.pipe(dest)
                counts("piped twice", src, dest)

                def after_one():
                    src.unpipe(dest)
                    counts("unpiped once", src, dest)

                    def after_two():
                        src.unpipe(dest)
                        counts("unpiped twice", src, dest)

                        def on_readable():
                            log("s", "src buffered", src.readableLength, state["received"])
                            src.destroy()
                            dest.destroy()
                            state["feed"].destroy()
                            server.close()

                        src.once("readable", on_readable)
                        state["feed"].write("three")

                    send("two", 9, after_two)

                send("one", 6, after_one)

            dest = net.connect(port, "127.0.0.1", dest_connected)

        src = net.connect(port, "127.0.0.1", src_connected)

    server.listen(0, "127.0.0.1", on_listening)


net.run(main)

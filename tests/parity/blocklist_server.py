"""The blockList option of createServer: a blocked peer is disconnected as soon as it is
accepted (it sees 'connect' then 'end'), the server emits neither 'connection' nor 'drop'
and counts no connection; IPv4 rules match IPv4-mapped peers of a dual-stack server and
IPv4-mapped rules match peers of an IPv4 server; other peers are served."""

from _parity import log

import twnet as net


def serve(tag, host, block_list, next_step):
    def on_connection(c):
        log(tag, "connection", c.remoteFamily)
        c.end("welcome")

    server = net.createServer({"blockList": block_list}, on_connection)
    server.on("drop", lambda *_: log(tag, "drop"))
    log(tag, "blockList kept", server.blockList is block_list)
    server.listen(0, host, lambda: next_step(server, server.address()["port"]))


def client(tag, port, host, done):
    c = net.connect({"port": port, "host": host})
    c.on("connect", lambda: log(tag, "connect"))
    c.on("data", lambda d: log(tag, "data", d))
    c.on("end", lambda: log(tag, "end"))
    c.on("error", lambda err: log(tag, "error", err.code))

    def on_close(had_error):
        log(tag, "close", had_error)
        done()

    c.on("close", on_close)


def main():
    v4rule = net.BlockList()
    v4rule.addAddress("127.0.0.1")

    def dual(server, port):
        def after_blocked():
            server.getConnections(
                lambda err, n: log("dual", "connections after the blocked peer", err, n)
            )
            client("dual allowed ::1", port, "::1", after_allowed)

        def after_allowed():
            server.close(lambda: log("dual", "closed"))
            mapped_rule = net.BlockList()
            mapped_rule.addSubnet("::ffff:127.0.0.0", 104, "ipv6")

            def v4(s4, p4):
                closed = lambda: s4.close(lambda: log("v4", "closed"))  # noqa: E731
                client("v4 blocked 127.0.0.1", p4, "127.0.0.1", closed)

            serve("v4", "127.0.0.1", mapped_rule, v4)

        client("dual blocked 127.0.0.1", port, "127.0.0.1", after_blocked)

    serve("dual", "::", v4rule, dual)


net.run(main)

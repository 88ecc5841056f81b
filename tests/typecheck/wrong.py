"""Wrong uses of twnet that the type checkers must reject (never run).

Each line marked ``# E: code`` must get exactly that mypy error code, and at least one pyright
error; no other line may get one. A signature that decays to ``Any`` makes its line pass
silently, and ``test_typecheck.py`` then fails.
"""

from __future__ import annotations

import twnet
from twnet import AbortController, BlockList, EventEmitter, Server, Socket, SocketAddress, net


def checks(sock: Socket, server: Server, emitter: EventEmitter) -> None:
    # the snake_case twins carry the camelCase names' types
    sock.set_no_delay("yes")  # E: arg-type
    sock.bytes_read = 5  # E: misc
    read: str = sock.bytes_read  # E: assignment
    sock.set_keep_alive(True, "1000")  # E: arg-type
    sock.no_such_method()  # E: attr-defined
    twnet.create_sever()  # E: attr-defined
    made: int = net.create_server()  # E: assignment
    dialled: Server = twnet.create_connection(80)  # E: assignment
    twnet.set_timeout("not a function", 10)  # E: arg-type
    server.max_connections = "ten"  # E: assignment
    # Node's documented types
    net.createServer(42)  # E: arg-type
    remote: int = sock.remoteAddress  # E: assignment
    port_text: str = sock.address()["port"]  # E: assignment
    family: int = sock.address().family  # E: assignment
    who: Socket = sock.server  # E: assignment
    emitter.on(["not", "a", "name"], print)  # E: arg-type
    emitter.emit({"unhashable": 1})  # E: arg-type
    listening: int = twnet.once(server, "listening")  # E: assignment
    twnet.run(reactor="the reactor")  # E: arg-type
    BlockList().add_subnet("10.0.0.0", "24")  # E: arg-type
    SocketAddress.parse(80)  # E: arg-type
    AbortController().signal.aborted = True  # E: misc
    sock.write(42)  # E: arg-type
    # Node's argument forms and listener shapes
    net.connect(80, 443)  # E: call-overload
    net.connect({"port": 80}, lambda err: None)  # E: arg-type, misc
    net.create_server(lambda conn, extra: None)  # E: arg-type
    twnet.create_connection([80])  # E: call-overload
    sock.on(["data"], print)  # E: arg-type
    sock.once({"end"}, print)  # E: arg-type
    server.close(lambda err, extra: None)  # E: arg-type
    server.get_connections(lambda count: None)  # E: arg-type, misc
    twnet.set_timeout(print, "100")  # E: arg-type
    twnet.clear_immediate(twnet.set_timeout(print, 1))  # E: arg-type
    sock.set_timeout(10, lambda err: None)  # E: arg-type, misc
    server.listen(0, "127.0.0.1", 511, lambda err: None)  # E: arg-type, misc
    server.listen(8124.5)  # E: call-overload
    sock.connect(80, 443)  # E: call-overload
    sock.connect({"port": 80}, lambda err: None)  # E: arg-type, misc

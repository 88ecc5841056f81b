"""A typed program over twnet's public API, in both spellings (Node's camelCase and the
snake_case twins).

``mypy --strict`` and pyright (strict) check it with no error, and ``test_typecheck.py`` runs
it: it echoes over loopback and prints what it saw. ``reveal``-style checks are done with
annotated assignments, so a type that turns into ``Any`` or changes fails the checkers (see
``wrong.py`` for what they must reject).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from twisted.internet.defer import Deferred

import twnet
import twnet.events
import twnet.stream
import twnet.stream.promises
import twnet.timers
import twnet.timers.promises
from twnet import (
    AbortController,
    AbortSignal,
    AddressInfo,
    BlockList,
    EventEmitter,
    NodeError,
    Server,
    Socket,
    SocketAddress,
    net,
)

seen: list[str] = []


def log(line: str) -> None:
    seen.append(line)
    print(line)


# -- module functions, both spellings ---------------------------------------------------------

ip_kind: int = net.isIP("127.0.0.1") + twnet.is_ip("::1")
is_v4: bool = net.isIPv4("127.0.0.1") and twnet.is_ipv4("127.0.0.1")
is_v6: bool = net.isIPv6("::1") and net.is_ipv6("::1")
auto: bool = net.getDefaultAutoSelectFamily() and twnet.get_default_auto_select_family()
net.setDefaultAutoSelectFamily(auto)
twnet.set_default_auto_select_family(auto)
attempt_ms: int = net.getDefaultAutoSelectFamilyAttemptTimeout()
attempt_ms = twnet.get_default_auto_select_family_attempt_timeout()
net.set_default_auto_select_family_attempt_timeout(attempt_ms)
twnet.setDefaultAutoSelectFamilyAttemptTimeout(attempt_ms)
make_server: Callable[..., Server] = net.create_server
make_server = twnet.createServer
dial: Callable[..., Socket] = net.create_connection
dial = twnet.createConnection
dial = twnet.connect
assert net.Stream is Socket

# -- BlockList and SocketAddress ----------------------------------------------------------

blocked = BlockList()
blocked.addAddress("127.0.0.2")
blocked.add_address("127.0.0.3")
blocked.addRange("10.0.0.1", "10.0.0.9")
blocked.add_range("10.1.0.1", "10.1.0.9")
blocked.addSubnet("192.0.2.0", 24)
blocked.add_subnet("2001:db8::", 32, "ipv6")
is_blocked: bool = blocked.check("127.0.0.2") and blocked.check("10.0.0.5", "ipv4")
rules: list[str] = blocked.rules
rules = blocked.toJSON()
rules = blocked.to_json()
assert BlockList.isBlockList(blocked) and BlockList.is_block_list(blocked)

where = SocketAddress({"address": "127.0.0.1", "port": 8124})
where_port: int = where.port
where_family: str = where.family
where_address: str = where.address
parsed: SocketAddress | None = SocketAddress.parse("127.0.0.1:80")
assert SocketAddress.isSocketAddress(where) and SocketAddress.is_socket_address(where)
assert blocked.check(where) is False

# -- AbortController and AbortSignal ------------------------------------------------------

controller = AbortController()
signal: AbortSignal = controller.signal
signal.addEventListener("abort", lambda event: log(f"aborted: {event.type}"))
signal.add_event_listener("abort", lambda event: None)
abort_listeners: list[object] = twnet.events.getEventListeners(signal, "abort")
assert len(twnet.events.get_event_listeners(signal, "abort")) == len(abort_listeners) == 2
controller.abort("enough")
aborted: bool = signal.aborted
assert AbortSignal.abort().aborted

# -- EventEmitter, both spellings ---------------------------------------------------------


class Greeter(EventEmitter):
    """A user's emitter: its camelCase method gets a twin at run time."""

    def sayHello(self, name: str) -> str:
        self.emit("hello", name)
        return name


def on_hello(name: str) -> None:
    log(f"hello {name}")


greeter = Greeter()
greeter.on("hello", on_hello)
greeter.addListener("hello", on_hello).add_listener("hello", on_hello)
greeter.removeListener("hello", on_hello).remove_listener("hello", on_hello)
greeter.prependOnceListener("hello", on_hello)
count: int = greeter.listenerCount("hello") + greeter.listener_count("hello")
greeter.setMaxListeners(20).set_max_listeners(20)
limit: float = greeter.getMaxListeners()
greeter.sayHello("world")
greeter.remove_all_listeners("hello")
names = greeter.eventNames()
assert greeter.event_names() == names
monitored: bool = greeter.emit(twnet.errorMonitor, ValueError("seen"))
default_limit: int = twnet.events.defaultMaxListeners
twnet.events.default_max_listeners = default_limit
capturing: bool = twnet.events.captureRejections or twnet.events.capture_rejections

# -- timers, both spellings ---------------------------------------------------------------

timeout: twnet.Timeout = twnet.setTimeout(lambda: log("timeout"), 1)
twnet.clearTimeout(twnet.set_timeout(lambda: log("never"), 10))
interval: twnet.Timeout = twnet.timers.setInterval(lambda: None, 1000).unref()
still_refd: bool = interval.hasRef() or interval.has_ref()
twnet.clear_interval(interval)
immediate: twnet.Immediate = twnet.set_immediate(lambda: log("immediate"))
twnet.clearImmediate(twnet.setImmediate(lambda: None))
later: Deferred[str | None] = twnet.timers.promises.setTimeout(1, "later")
soon: Deferred[str | None] = twnet.timers.promises.set_immediate("soon")

# -- streams ------------------------------------------------------------------------------

through = twnet.stream.PassThrough()
through.setEncoding("utf8")
through.set_default_encoding("utf8")


def on_through(chunk: str) -> None:
    log(f"through {chunk}")


through.on("data", on_through)
through.write(b"piped")
ended: bool = through.writableEnded or through.writable_ended
left, right = twnet.stream.duplexPair()
left2, right2 = twnet.stream.duplex_pair()
for side in (left, right, left2, right2):
    side.destroy()
flowing: bool | None = through.readableFlowing
flowing = through.readable_flowing
through.end()


# -- a server and a client, both spellings ------------------------------------------------


def on_connection(conn: Socket) -> None:
    conn.setNoDelay(True).set_keep_alive(True, 1000)
    conn.set_encoding("utf8")

    def on_data(data: str) -> None:
        conn.end(f"echo {data}")

    conn.on("data", on_data)


server: Server = net.create_server(on_connection)
server.maxConnections = 10
server.max_connections = 10
allow: bool = server.allowHalfOpen or server.allow_half_open


def on_listening() -> None:
    info = server.address()
    assert isinstance(info, dict)
    port: int = info["port"]
    family: str = info.family
    log(f"listening {family}")
    client = net.connect(port, "127.0.0.1", lambda: log("connected"))
    client.set_no_delay().setKeepAlive(True)
    client.setTimeout(5000)
    client.set_timeout(5000, lambda: client.destroy())
    local: AddressInfo = client.address()
    assert local == {} or "port" in local
    written: bool = client.write(b"hi") and client.write("there", "utf8")
    client.end()
    received: list[bytes | str] = []
    client.on("data", received.append)

    def on_close(had_error: bool) -> None:
        total: int = client.bytesRead + client.bytes_written
        remote: str | None = client.remoteAddress or client.remote_address
        state: str = client.readyState
        log(f"closed {had_error} {total > 0} {remote} {state} {written}")
        log(f"echoed {b''.join(r if isinstance(r, bytes) else r.encode() for r in received)!r}")
        server.close(on_server_close)

    client.on("close", on_close)
    # the other connect forms: options (dict or keywords), with a listener or not
    extra: Socket = twnet.create_connection({"port": port, "host": "127.0.0.1"})
    extra.on("connect", lambda: extra.destroy())
    quiet: Socket = net.connect(port=port, host="127.0.0.1", noDelay=True)
    quiet.on("connect", lambda: quiet.destroy())
    manual = Socket({"allowHalfOpen": False})
    manual.connect(port, "127.0.0.1", lambda: manual.destroy())
    who: Server | None = client.server
    assert who is None


def on_server_close(err: BaseException | None = None) -> None:
    log(f"server closed {err}")


def count_connections(err: BaseException | None, n: int) -> None:
    log(f"connections {n}")


server.listen(0, "127.0.0.1", on_listening)
# the other listen forms, on servers closed as soon as they listen
other: Server = twnet.createServer({"allowHalfOpen": True}, on_connection)
other.listen({"port": 0, "host": "127.0.0.1"}, lambda: other.close())
keywords = net.create_server(allow_half_open=True).listen(port=0, host="127.0.0.1")
keywords.on("listening", lambda: keywords.close())
server.getConnections(count_connections).get_connections(count_connections)


async def wait_for_close() -> None:
    args: list[object] = await twnet.once(server, "close")
    log(f"once close {args}")
    value: str | None = await later
    log(f"later {value}")


Deferred.fromCoroutine(wait_for_close())


async def natively() -> None:
    """The Python-native forms: awaiting a listen and a connect, ``async with``, ``async for``."""
    echo: Server = await net.create_server(lambda c: c.pipe(c)).listen(0, "127.0.0.1")
    async with echo as same:
        kept: Server = same
        address = kept.address()
        assert isinstance(address, dict)
        sock: Socket = await net.connect(address["port"], "127.0.0.1")
        sock.end(b"native")
        chunks: list[bytes] = []
        async for chunk in sock:
            chunks.append(chunk)
        log(f"async echoed {b''.join(chunks)!r}")
    log(f"async closed {kept.listening}")


Deferred.fromCoroutine(natively())
piped: Deferred[None] = twnet.stream.promises.pipeline(
    twnet.stream.Readable.from_([b"a", b"b"]), twnet.stream.PassThrough()
)


def main() -> None:
    try:
        net.connect({"port": -1, "host": "127.0.0.1"})
    except NodeError as error:
        code: str = error.code
        log(f"refused {code}")


if __name__ == "__main__":
    twnet.run(main)
    sys.stdout.flush()

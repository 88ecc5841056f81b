"""Every public call of twnet that takes an argument, with the values to try for each.

A :class:`Call` names the receiver (a fresh object in a given state, or the ``net`` module),
the method (Node's name; twnet answers to the same), and a strategy for its arguments. The
same table drives both sides: ``oracle.js`` makes the receiver and the call in Node 24, the
battery makes them in twnet.

Receivers: ``net`` (the module), ``socket`` (``new Socket()``, never connected),
``connected`` (a socket connected to a loopback peer), ``server`` (``new Server()``),
``listening`` (a server listening on 127.0.0.1), ``emitter`` (``new EventEmitter()``),
``timers``, ``timers.promises``, ``stream`` and ``stream.promises`` (the modules),
``Readable`` (the class, for ``Readable.from``), ``readable`` / ``writable`` (streams whose
hooks do nothing / accept every chunk), ``AbortSignal``, ``BlockList`` and
``SocketAddress`` (the classes, for their static methods), ``controller`` (``new
AbortController()``), ``signal`` (a new controller's signal), ``blocklist`` (``new
BlockList()``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from hypothesis import strategies as st

from tests.badinput import values as v

__all__ = ["CALLS", "Call"]

Args = tuple[tuple[Any, ...], dict[str, Any]]


@dataclass(frozen=True)
class Call:
    """One public call and the values to try."""

    name: str
    receiver: str
    method: str
    arguments: st.SearchStrategy[Args]
    #: ``'listen'``: wait for 'listening' or 'error'; ``'connect'``: destroy the socket at once.
    wait: str = ""
    #: Compare the return value with Node's (pure functions and queries).
    result: bool = False
    #: Option keys the call knows (their snake_case twins are sent camelCase to Node).
    keys: frozenset[str] = field(default_factory=frozenset)
    #: Keyword arguments are sent to Node as one options object, appended to the arguments.
    kwargs_as_options: bool = False
    #: A valid call leaves a timer by design (``AbortSignal.timeout``): the case clears it
    #: (the signal's ``_timer``) when it ends, as Node drops it with the signal.
    lingering: bool = False


def positional(*strategies: st.SearchStrategy[Any]) -> st.SearchStrategy[Args]:
    """Arguments given positionally, one strategy per position."""
    return st.tuples(*strategies).map(lambda args: (args, {}))


def keywords(options: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[Args]:
    """Options given as keyword arguments (string keys only, as Python requires)."""
    return options.map(lambda opts: ((), {str(k): val for k, val in opts.items()}))


# -- option tables ---------------------------------------------------------------------------

_sized = v.sized()
_flag = v.flags()

_signals = v._mix([v.Fresh("signal"), v.Fresh("aborted")])
_blocklists = v._mix([v.Fresh("blocklist")])

SERVER_OPTIONS: dict[str, Any] = {
    "blockList": _blocklists,
    "allowHalfOpen": _flag,
    "pauseOnConnect": _flag,
    "noDelay": _flag,
    "keepAlive": _flag,
    "keepAliveInitialDelay": _sized,
    "highWaterMark": _sized,
}

SOCKET_OPTIONS: dict[str, Any] = {
    "fd": v.fds,
    "allowHalfOpen": _flag,
    "readable": _flag,
    "writable": _flag,
    "highWaterMark": _sized,
    "readableHighWaterMark": _sized,
    "writableHighWaterMark": _sized,
    "encoding": v.encodings,
    "defaultEncoding": v.encodings,
    "objectMode": _flag,
    "readableObjectMode": _flag,
    "writableObjectMode": _flag,
    "noDelay": _flag,
    "keepAlive": _flag,
    "keepAliveInitialDelay": _sized,
    "signal": _signals,
    "onread": None,
}

CONNECT_OPTIONS: dict[str, Any] = {
    "port": v.ports,
    "host": v.hosts,
    "path": v.paths,
    "localAddress": v.hosts,
    "localPort": v.ports,
    "family": v._mix([0, 4, 6, 5, "IPv4", "IPv6", "ipv4", "4", 4.0, -0.0]),
    "hints": v._mix([0, 1024, 32, 8, 2**31, -1, 0.5]),
    "lookup": v.callbacks,
    "autoSelectFamily": _flag,
    "autoSelectFamilyAttemptTimeout": _sized,
    "blockList": _blocklists,
    "signal": _signals,
    "timeout": _sized,
    "noDelay": _flag,
    "keepAlive": _flag,
    "keepAliveInitialDelay": _sized,
    "allowHalfOpen": _flag,
}

LISTEN_OPTIONS: dict[str, Any] = {
    "port": v.ports,
    "host": v.hosts,
    "path": v.paths,
    "backlog": _sized,
    "exclusive": _flag,
    "ipv6Only": _flag,
    "reusePort": _flag,
    "readableAll": _flag,
    "writableAll": _flag,
    "fd": v.fds,
    "signal": _signals,
}

_server_opts = v.options(SERVER_OPTIONS) | v.any_value
_socket_opts = v.options(SOCKET_OPTIONS) | v.any_value
_connect_opts = v.options(CONNECT_OPTIONS) | v.any_value
_connect_opts_port = (
    st.tuples(v.ports, v.options(CONNECT_OPTIONS, max_size=3)).map(lambda t: {**t[1], "port": t[0]})
    | _connect_opts
)
_listen_opts = v.options(LISTEN_OPTIONS) | v.any_value
_handles = v._mix(
    [v.Fresh("server"), v.Fresh("socket")],
    st.tuples(v.fds).map(lambda t: {"fd": t[0]}),
)
_timer_opts = v.options({"signal": _signals, "ref": _flag}) | v.any_value
_listener_opts = v.options({"once": _flag, "capture": _flag, "passive": _flag, "signal": _signals})
_listener_opts = _listener_opts | v.any_value
_signal_lists = st.lists(_signals, max_size=3) | v.any_value
_ip = v._mix(
    [
        "127.0.0.1",
        "10.0.0.0",
        "::1",
        "::ffff:127.0.0.1",
        "1.2.3",
        "256.0.0.1",
        "[::1]",
        "127.0.0.1:80",
        "[::1]:8124",
        v.Fresh("socketaddress"),
    ],
    v.hosts,
)
_ip_lists = st.lists(_ip, max_size=3) | v.any_value
_cidr = v._mix(
    ["10.0.0.0/8", "::1/128", "10.0.0.0/33", "10.0.0.0", "/8", "10.0.0.0/-1", "10.0.0.0/8.5"],
    st.tuples(_ip, v.ints).map(lambda t: f"{t[0]}/{t[1]}"),
)
_cidr_lists = st.lists(_cidr, max_size=3) | v.any_value
_rules = v._mix(
    [
        '["Address: IPv4 10.0.0.1"]',
        "not json",
        ["Address: IPv4 10.0.0.1", "Range: IPv4 10.0.0.1-10.0.0.9", "Subnet: IPv6 ::1/128"],
        ["Address: IPv4 999.0.0.1"],
        ["Subnet: IPv4 10.0.0.0/99"],
    ],
    st.lists(v.strings, max_size=3),
)
_emitter_opts = v.options({"captureRejections": _flag}, snake=False) | v.any_value
_emitters = v._mix([v.Fresh("emitter"), v.Fresh("signal")])
_once_opts = v.options({"signal": _signals}, snake=False) | v.any_value
_event_opts = v.options({"bubbles": _flag, "cancelable": _flag, "composed": _flag}) | v.any_value
_family = v._mix(["ipv4", "ipv6", "IPv4", "IPv6", "IPV4", "inet", 4, 6])
_address_opts = (
    v.options(
        {"address": _ip, "family": _family, "port": v.ports, "flowlabel": v.sized()}, snake=False
    )
    | v.any_value
)
STREAM_OPTIONS: dict[str, Any] = {
    "highWaterMark": v.sized(),
    "readableHighWaterMark": v.sized(),
    "writableHighWaterMark": v.sized(),
    "objectMode": v.flags(),
    "readableObjectMode": v.flags(),
    "writableObjectMode": v.flags(),
    "encoding": v.encodings,
    "defaultEncoding": v.encodings,
    "decodeStrings": v.flags(),
    "emitClose": v.flags(),
    "autoDestroy": v.flags(),
    "allowHalfOpen": v.flags(),
    "signal": None,
    # Hooks given as values that are no function, or a function that never calls back;
    # not 'construct' nor 'destroy': a hook that never calls back keeps the stream from
    # closing in Node as well, which is no bad input.
    "read": v.callbacks,
    "write": v.callbacks,
    "final": v.callbacks,
}
_stream_opts = v.options(STREAM_OPTIONS, snake=False) | v.any_value
_streams = v._mix([v.Fresh("readable"), v.Fresh("writable"), v.Fresh("socket")])
_finished_opts = (
    v.options(
        {"error": v.flags(), "readable": v.flags(), "writable": v.flags(), "signal": None},
        snake=False,
    )
    | v.any_value
)
_iterables = v._mix([[b"a", b"b"], ["x"], (), "abc", b"ab", [1, 2]])
#: What Duplex.from takes (streams, iterables, {readable, writable} pairs, a function), and
#: any value but a callable (the oracle runs every function as a no-op; a Python callable
#: such as ``str`` would run as itself). Not ``{'readable': None}``: a Duplex with both sides
#: closed never emits 'close' once destroyed, in Node as in twnet (tests/test_duplex_from.py).
_bodies = st.one_of(
    st.sampled_from(
        [
            v.Fresh("readable"),
            v.Fresh("writable"),
            v.Fresh("socket"),
            [b"a"],
            (),
            "abc",
            b"ab",
            v.noop,
            {"readable": v.Fresh("readable")},
            {"writable": v.Fresh("writable")},
            {"readable": v.Fresh("readable"), "writable": v.Fresh("writable")},
            {"readable": 5},
            {"writable": "x"},
            {"readable": [1]},
            {"readable": {}},
        ]
    ),
    v.any_value.filter(lambda value: not callable(value)),
)
_event_names = v._mix(["error", "data", "newListener", "removeListener", "x", ""])
_data = v._mix([b"x", "x", "\u00e9", "", b"", bytearray(b"ab"), memoryview(b"cd"), "ff"])


def _calls() -> list[Call]:
    s, c, d = positional, v.callbacks, _data
    p, h, enc = v.ports, v.hosts, v.encodings
    net = "net"
    calls = [
        # -- net ---------------------------------------------------------------------------
        Call("net.isIP(input)", net, "isIP", s(h), result=True),
        Call("net.isIPv4(input)", net, "isIPv4", s(h), result=True),
        Call("net.isIPv6(input)", net, "isIPv6", s(h), result=True),
        Call("net.setDefaultAutoSelectFamily(value)", net, "setDefaultAutoSelectFamily", s(_flag)),
        Call(
            "net.setDefaultAutoSelectFamilyAttemptTimeout(value)",
            net,
            "setDefaultAutoSelectFamilyAttemptTimeout",
            s(_sized),
        ),
        # -- createServer / new Server -----------------------------------------------------
        Call("net.createServer(options)", net, "createServer", s(_server_opts)),
        Call("net.createServer(options, listener)", net, "createServer", s(_server_opts, c)),
        Call(
            "net.createServer(**options)",
            net,
            "createServer",
            keywords(v.options(SERVER_OPTIONS)),
            kwargs_as_options=True,
        ),
        Call("new net.Server(options, listener)", net, "new Server", s(_server_opts, c)),
        # -- new Socket ----------------------------------------------------------------------
        Call("new net.Socket(options)", net, "new Socket", s(_socket_opts)),
        Call("new net.Socket(fd)", net, "new Socket", s(v.fds)),
        Call(
            "new net.Socket(**options)",
            net,
            "new Socket",
            keywords(v.options(SOCKET_OPTIONS)),
            kwargs_as_options=True,
        ),
        # -- connect forms (the socket is destroyed before it can connect) -------------------
        Call("net.connect(port)", net, "connect", s(p), wait="connect"),
        Call("net.connect(port, host)", net, "connect", s(p, h), wait="connect"),
        Call("net.connect(port, host, cb)", net, "connect", s(p, h, c), wait="connect"),
        Call("net.connect(path, cb)", net, "connect", s(v.paths, c), wait="connect"),
        Call("net.connect(options)", net, "connect", s(_connect_opts_port), wait="connect"),
        Call("net.connect(options, cb)", net, "connect", s(_connect_opts_port, c), wait="connect"),
        Call(
            "net.connect(**options)",
            net,
            "connect",
            keywords(v.options(CONNECT_OPTIONS)),
            wait="connect",
            kwargs_as_options=True,
        ),
        Call(
            "net.createConnection(port, host, cb)",
            net,
            "createConnection",
            s(p, h, c),
            wait="connect",
        ),
        Call(
            "net.createConnection(options)",
            net,
            "createConnection",
            s(_connect_opts_port),
            wait="connect",
        ),
        Call("Socket.connect(options)", "socket", "connect", s(_connect_opts), wait="connect"),
        Call("Socket.connect(port, host, cb)", "socket", "connect", s(p, h, c), wait="connect"),
        Call("Socket.connect(path)", "socket", "connect", s(v.paths), wait="connect"),
        # -- listen forms --------------------------------------------------------------------
        Call("Server.listen()", "server", "listen", s(), wait="listen"),
        Call("Server.listen(cb)", "server", "listen", s(c), wait="listen"),
        Call("Server.listen(port)", "server", "listen", s(p), wait="listen"),
        Call("Server.listen(port, cb)", "server", "listen", s(p, c), wait="listen"),
        Call("Server.listen(port, host)", "server", "listen", s(p, h), wait="listen"),
        Call(
            "Server.listen(port, host, backlog)",
            "server",
            "listen",
            s(p, h, _sized),
            wait="listen",
        ),
        Call(
            "Server.listen(port, host, backlog, cb)",
            "server",
            "listen",
            s(p, h, _sized, c),
            wait="listen",
        ),
        Call("Server.listen(path)", "server", "listen", s(v.paths), wait="listen"),
        Call(
            "Server.listen(path, backlog, cb)",
            "server",
            "listen",
            s(v.paths, _sized, c),
            wait="listen",
        ),
        Call("Server.listen(options)", "server", "listen", s(_listen_opts), wait="listen"),
        Call("Server.listen(options, cb)", "server", "listen", s(_listen_opts, c), wait="listen"),
        Call(
            "Server.listen(**options)",
            "server",
            "listen",
            keywords(v.options(LISTEN_OPTIONS)),
            wait="listen",
            kwargs_as_options=True,
        ),
        Call("Server.listen(handle)", "server", "listen", s(_handles), wait="listen"),
        Call(
            "Server.listen(port, host) when listening",
            "listening",
            "listen",
            s(p, h),
            wait="listen",
        ),
        # -- Server methods ------------------------------------------------------------------
        Call("Server.close(cb)", "listening", "close", s(c)),
        Call("Server.close(cb) when not listening", "server", "close", s(c)),
        Call("Server.getConnections(cb)", "listening", "getConnections", s(c)),
        # -- Socket methods, never connected -------------------------------------------------
        Call("Socket.setTimeout(msecs)", "socket", "setTimeout", s(_sized)),
        Call("Socket.setTimeout(msecs, cb)", "socket", "setTimeout", s(_sized, c)),
        Call("Socket.setNoDelay(noDelay)", "socket", "setNoDelay", s(_flag)),
        Call("Socket.setKeepAlive(enable, delay)", "socket", "setKeepAlive", s(_flag, _sized)),
        Call("Socket.setTypeOfService(tos)", "socket", "setTypeOfService", s(_sized)),
        Call("Socket.setEncoding(encoding)", "socket", "setEncoding", s(enc)),
        Call("Socket.setDefaultEncoding(encoding)", "socket", "setDefaultEncoding", s(enc)),
        Call("Socket.write(data)", "socket", "write", s(d)),
        Call("Socket.write(data, encoding, cb)", "socket", "write", s(d, enc, c)),
        Call("Socket.end(data, encoding, cb)", "socket", "end", s(d, enc, c)),
        Call("Socket.end(cb)", "socket", "end", s(c)),
        Call("Socket.read(size)", "socket", "read", s(_sized)),
        Call("Socket.destroy(error)", "socket", "destroy", s(v.any_value)),
        Call("Socket.pipe(destination)", "socket", "pipe", s(v.any_value)),
        Call("Socket.unpipe(destination)", "socket", "unpipe", s(v.any_value)),
        Call("Socket.unshift(chunk, encoding)", "socket", "unshift", s(d, enc)),
        Call("Socket.push(chunk, encoding)", "socket", "push", s(d, enc)),
        # -- Socket methods, connected -------------------------------------------------------
        Call("connected Socket.setTimeout(msecs, cb)", "connected", "setTimeout", s(_sized, c)),
        Call("connected Socket.setNoDelay(noDelay)", "connected", "setNoDelay", s(_flag)),
        Call(
            "connected Socket.setKeepAlive(enable, delay)",
            "connected",
            "setKeepAlive",
            s(_flag, _sized),
        ),
        Call("connected Socket.setTypeOfService(tos)", "connected", "setTypeOfService", s(_sized)),
        Call("connected Socket.setEncoding(encoding)", "connected", "setEncoding", s(enc)),
        Call("connected Socket.write(data, encoding, cb)", "connected", "write", s(d, enc, c)),
        Call("connected Socket.end(data, encoding, cb)", "connected", "end", s(d, enc, c)),
        Call("connected Socket.read(size)", "connected", "read", s(_sized)),
        Call(
            "connected Socket.connect(port, host)", "connected", "connect", s(p, h), wait="connect"
        ),
        # -- EventEmitter --------------------------------------------------------------------
        Call("EventEmitter.on(name, listener)", "emitter", "on", s(_event_names, c)),
        Call("EventEmitter.once(name, listener)", "emitter", "once", s(_event_names, c)),
        Call(
            "EventEmitter.addListener(name, listener)",
            "emitter",
            "addListener",
            s(_event_names, c),
        ),
        Call("EventEmitter.rawListeners(name)", "emitter", "rawListeners", s(_event_names)),
        Call("new EventEmitter(options)", "net", "new EventEmitter", s(_emitter_opts)),
        Call(
            "events.once(emitter, name)",
            "events",
            "once",
            s(_emitters, _event_names),
            wait="promise",
        ),
        Call(
            "events.once(emitter, name, options)",
            "events",
            "once",
            s(_emitters, _event_names, _once_opts),
            wait="promise",
        ),
        Call("events.on(emitter, name)", "events", "on", s(_emitters, _event_names)),
        Call(
            "events.on(emitter, name, options)",
            "events",
            "on",
            s(_emitters, _event_names, _once_opts),
        ),
        Call("process.nextTick(cb, arg)", "process", "nextTick", s(c, v.any_value)),
        Call(
            "events.getEventListeners(emitter, name)",
            "events",
            "getEventListeners",
            s(_emitters, _event_names),
        ),
        Call(
            "events.getMaxListeners(emitter)",
            "events",
            "getMaxListeners",
            s(_emitters),
            result=True,
        ),
        Call(
            "events.setMaxListeners(n, target)",
            "events",
            "setMaxListeners",
            s(_sized, _emitters),
        ),
        Call(
            "events.listenerCount(emitter, name)",
            "events",
            "listenerCount",
            s(_emitters, _event_names),
            result=True,
        ),
        Call(
            "events.addAbortListener(signal, listener)",
            "events",
            "addAbortListener",
            s(_signals, c),
        ),
        Call(
            "EventEmitter.prependListener(name, listener)",
            "emitter",
            "prependListener",
            s(_event_names, c),
        ),
        Call(
            "EventEmitter.prependOnceListener(name, listener)",
            "emitter",
            "prependOnceListener",
            s(_event_names, c),
        ),
        Call(
            "EventEmitter.removeListener(name, listener)",
            "emitter",
            "removeListener",
            s(_event_names, c),
        ),
        Call("EventEmitter.off(name, listener)", "emitter", "off", s(_event_names, c)),
        Call(
            "EventEmitter.removeAllListeners(name)",
            "emitter",
            "removeAllListeners",
            s(_event_names),
        ),
        Call("EventEmitter.emit(name)", "emitter", "emit", s(_event_names), result=True),
        Call(
            "EventEmitter.emit(name, value)",
            "emitter",
            "emit",
            s(_event_names, v.any_value),
            result=True,
        ),
        Call(
            "EventEmitter.listenerCount(name)",
            "emitter",
            "listenerCount",
            s(_event_names),
            result=True,
        ),
        Call("EventEmitter.listeners(name)", "emitter", "listeners", s(_event_names)),
        Call("EventEmitter.setMaxListeners(n)", "emitter", "setMaxListeners", s(_sized)),
        Call("Server.setMaxListeners(n)", "server", "setMaxListeners", s(_sized)),
        # -- timers --------------------------------------------------------------------------
        Call("setTimeout(cb, ms)", "timers", "setTimeout", s(c, _sized)),
        Call("setTimeout(cb, ms, arg)", "timers", "setTimeout", s(c, _sized, v.any_value)),
        Call("setInterval(cb, ms)", "timers", "setInterval", s(c, _sized)),
        Call("setImmediate(cb, arg)", "timers", "setImmediate", s(c, v.any_value)),
        Call("clearTimeout(timer)", "timers", "clearTimeout", s(v.any_value)),
        Call("clearInterval(timer)", "timers", "clearInterval", s(v.any_value)),
        Call("clearImmediate(immediate)", "timers", "clearImmediate", s(v.any_value)),
        Call(
            "timers.promises.setTimeout(ms, value, options)",
            "timers.promises",
            "setTimeout",
            s(_sized, v.any_value, _timer_opts),
            wait="promise",
        ),
        Call(
            "timers.promises.setImmediate(value, options)",
            "timers.promises",
            "setImmediate",
            s(v.any_value, _timer_opts),
            wait="promise",
        ),
        # -- AbortController / AbortSignal ---------------------------------------------------
        Call("AbortController.abort(reason)", "controller", "abort", s(v.any_value)),
        Call("AbortSignal.abort(reason)", "AbortSignal", "abort", s(v.any_value)),
        Call("new AbortSignal()", "net", "new AbortSignal", s()),
        Call("new Event(type, options)", "net", "new Event", s(_event_names, _event_opts)),
        Call(
            "new DOMException(message, name)",
            "net",
            "new DOMException",
            s(v.strings, v._mix(["AbortError", "TimeoutError", "NoSuchError"])),
        ),
        Call("AbortSignal.timeout(ms)", "AbortSignal", "timeout", s(_sized), lingering=True),
        Call("AbortSignal.any(signals)", "AbortSignal", "any", s(_signal_lists)),
        Call(
            "AbortSignal.addEventListener(type, listener, options)",
            "signal",
            "addEventListener",
            s(_event_names, c, _listener_opts),
        ),
        Call(
            "AbortSignal.removeEventListener(type, listener, options)",
            "signal",
            "removeEventListener",
            s(_event_names, c, _listener_opts),
        ),
        Call("AbortSignal.dispatchEvent(event)", "signal", "dispatchEvent", s(v.any_value)),
        # -- stream ----------------------------------------------------------------------
        Call("new stream.Readable(options)", "net", "new stream.Readable", s(_stream_opts)),
        Call("new stream.Writable(options)", "net", "new stream.Writable", s(_stream_opts)),
        Call("new stream.Duplex(options)", "net", "new stream.Duplex", s(_stream_opts)),
        Call("new stream.Transform(options)", "net", "new stream.Transform", s(_stream_opts)),
        Call("new stream.PassThrough(options)", "net", "new stream.PassThrough", s(_stream_opts)),
        Call("stream.duplexPair(options)", "stream", "duplexPair", s(_stream_opts)),
        Call(
            "stream.Readable.from(iterable, options)",
            "Readable",
            "from",
            s(_iterables, _stream_opts),
        ),
        Call("stream.Duplex.from(body)", "Duplex", "from", s(_bodies)),
        Call(
            "stream.addAbortSignal(signal, stream)",
            "stream",
            "addAbortSignal",
            s(v._mix([v.Fresh("signal"), v.Fresh("aborted")]), _streams),
        ),
        Call("stream.isErrored(stream)", "stream", "isErrored", s(_streams), result=True),
        Call("stream.isReadable(stream)", "stream", "isReadable", s(_streams), result=True),
        Call(
            "stream.getDefaultHighWaterMark(objectMode)",
            "stream",
            "getDefaultHighWaterMark",
            s(v.flags()),
            result=True,
        ),
        Call(
            "stream.setDefaultHighWaterMark(objectMode, value)",
            "stream",
            "setDefaultHighWaterMark",
            s(v.flags(), v.sized()),
        ),
        Call(
            "stream.finished(stream, options, cb)",
            "stream",
            "finished",
            s(_streams, _finished_opts, c),
        ),
        Call(
            "stream.pipeline(source, destination, cb)",
            "stream",
            "pipeline",
            s(_streams, _streams, c),
        ),
        Call(
            "stream.promises.finished(stream, options)",
            "stream.promises",
            "finished",
            s(_streams, _finished_opts),
            wait="promise",
        ),
        Call(
            "stream.promises.pipeline(source, destination)",
            "stream.promises",
            "pipeline",
            s(_streams, _streams),
            wait="promise",
        ),
        Call("Readable.push(chunk, encoding)", "readable", "push", s(d, enc)),
        Call("Readable.read(size)", "readable", "read", s(_sized)),
        Call("Readable.setEncoding(encoding)", "readable", "setEncoding", s(enc)),
        Call("Readable.pipe(destination, options)", "readable", "pipe", s(_streams, v.any_value)),
        Call("Readable.iterator(options)", "readable", "iterator", s(v.any_value)),
        Call("Socket.iterator(options)", "socket", "iterator", s(v.any_value)),
        Call("Writable.write(chunk, encoding, cb)", "writable", "write", s(d, enc, c)),
        Call("Writable.end(chunk, encoding, cb)", "writable", "end", s(d, enc, c)),
        Call("Writable.setDefaultEncoding(encoding)", "writable", "setDefaultEncoding", s(enc)),
        Call("Writable.destroy(error)", "writable", "destroy", s(v.any_value)),
        Call("Writable.pipe(destination)", "writable", "pipe", s(_streams)),
        # -- BlockList / SocketAddress -------------------------------------------------------
        Call("BlockList.addAddress(address, type)", "blocklist", "addAddress", s(_ip, _family)),
        Call(
            "BlockList.addRange(start, end, type)",
            "blocklist",
            "addRange",
            s(_ip, _ip, _family),
        ),
        Call(
            "BlockList.addSubnet(net, prefix, type)",
            "blocklist",
            "addSubnet",
            s(_ip, _sized, _family),
        ),
        Call(
            "BlockList.addAddresses(addresses, type)",
            "blocklist",
            "addAddresses",
            s(_ip_lists, _family),
        ),
        Call("BlockList.addCIDR(cidr)", "blocklist", "addCIDR", s(_cidr)),
        Call("BlockList.addCIDRs(cidrs)", "blocklist", "addCIDRs", s(_cidr_lists)),
        Call(
            "BlockList.removeAddress(address, type)",
            "blocklist",
            "removeAddress",
            s(_ip, _family),
        ),
        Call(
            "BlockList.removeRange(start, end, type)",
            "blocklist",
            "removeRange",
            s(_ip, _ip, _family),
        ),
        Call(
            "BlockList.removeSubnet(net, prefix, type)",
            "blocklist",
            "removeSubnet",
            s(_ip, _sized, _family),
        ),
        Call("BlockList.removeCIDR(cidr)", "blocklist", "removeCIDR", s(_cidr)),
        Call("BlockList.fromJSON(data)", "blocklist", "fromJSON", s(_rules)),
        Call("BlockList.check(address, type)", "blocklist", "check", s(_ip, _family), result=True),
        Call(
            "BlockList.isBlockList(value)", "BlockList", "isBlockList", s(v.any_value), result=True
        ),
        Call("new net.SocketAddress(options)", "net", "new SocketAddress", s(_address_opts)),
        Call("SocketAddress.parse(input)", "SocketAddress", "parse", s(_ip), result=True),
        Call(
            "SocketAddress.isSocketAddress(value)",
            "SocketAddress",
            "isSocketAddress",
            s(v.any_value),
            result=True,
        ),
    ]
    known = {
        "createServer": SERVER_OPTIONS,
        "new Server": SERVER_OPTIONS,
        "new Socket": SOCKET_OPTIONS,
        "connect": {**CONNECT_OPTIONS, **SOCKET_OPTIONS},
        "createConnection": {**CONNECT_OPTIONS, **SOCKET_OPTIONS},
        "listen": LISTEN_OPTIONS,
    }
    return [replace(call, keys=frozenset(known.get(call.method, {}))) for call in calls]


CALLS = _calls()

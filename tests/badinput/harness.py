"""Both sides of a bad-input case: the Node 24 oracle process, the same call made on twnet, and
the comparison of their outcomes.

An *outcome* is a dict: ``throw`` (None, or ``{name, code, message}`` with name ``TypeError``,
``RangeError`` or ``Error``; twnet's ``NodeTypeError`` / ``NodeRangeError`` / other
``NodeError`` map to them, any other exception is ``raw``), ``result`` (for the calls whose
return value is compared), ``listen`` (``{event, error}``: 'listening', 'error' or 'timeout'),
``binds`` (where the call asked to listen), ``errors`` ('error' events on the objects the case
made, before they were closed) and ``uncaught`` (exceptions that escaped asynchronously).

twnet's side also reports *problems* that need no oracle: a hang, a descriptor left open, a
DelayedCall left pending, a server left half-listening, a socket left connecting or holding
``twnet.run()``.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from twisted.internet import defer
from twisted.internet import reactor as _reactor
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IHostnameResolver, IHostResolution
from zope.interface import implementer

import twnet
import twnet.events
import twnet.stream
from tests.badinput import values as v
from tests.badinput.calls import Call
from twnet import _listen, _runtime
from twnet._errors import NodeError
from twnet.stream import Stream
from twnet.testing import capture_failures

__all__ = ["Oracle", "compare", "run_twnet"]

R: Any = _reactor
ORACLE_JS = Path(__file__).with_name("oracle.js")
#: How long a listen may take to end in 'listening' or 'error', and a close to complete.
DEADLINE = 3.0
#: How long a synchronous call may run.
CALL_DEADLINE = 5.0


# -- the Node side -----------------------------------------------------------------------------


class OracleError(RuntimeError):
    """The Node process failed or did not answer in time."""


class Oracle:
    """One long-lived Node 24 process running ``oracle.js``: :meth:`ask` sends a case and
    returns Node's outcomes (one per null/undefined variant)."""

    def __init__(self, node: str) -> None:
        self.node = node
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self.proc: subprocess.Popen[bytes] | None = None
        self.buffer = b""
        self.next_id = 0
        self.version = ""
        self.start()

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.node, str(ORACLE_JS)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
        )
        self.buffer = b""
        self.version = self._read_line(30)["ready"]

    def close(self) -> None:
        if self.proc is not None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            assert self.proc.stdout is not None
            self.proc.stdout.close()
            self.proc = None
        self.stderr.close()

    def _read_line(self, timeout: float) -> Any:
        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buffer:
            ready, _, _ = select.select([fd], [], [], timeout)
            if not ready:
                raise OracleError(f"node gave no answer within {timeout} s")
            chunk = os.read(fd, 65536)
            if not chunk:
                self.stderr.seek(0)
                raise OracleError(f"node exited: {self.stderr.read().decode(errors='replace')}")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)

    def ask(self, case: dict[str, Any]) -> list[dict[str, Any]]:
        assert self.proc is not None and self.proc.stdin is not None
        self.next_id += 1
        case = {**case, "id": self.next_id}
        self.proc.stdin.write(json.dumps(case).encode() + b"\n")
        self.proc.stdin.flush()
        try:
            answer = self._read_line(30)
        except OracleError:
            self.proc.kill()
            self.proc.wait()
            self.start()
            raise
        if answer.get("id") != case["id"] or "oracleError" in answer:
            raise OracleError(f"oracle failed on {case}: {answer}")
        outcomes: list[dict[str, Any]] = answer["outcomes"]
        return outcomes


def node_case(call: Call, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """The JSON case for the oracle: the call with its arguments encoded."""
    node_args = list(args)
    if kwargs:
        node_args.append(dict(kwargs))
    return {
        "receiver": call.receiver,
        "method": call.method,
        "args": [v.encode(a, call.keys) for a in node_args],
        "wait": call.wait,
        "result": call.result,
    }


# -- twnet's side: the same safety as oracle.js ------------------------------------------------


@implementer(IHostResolution)
class _Resolution:
    def __init__(self, name: str) -> None:
        self.name = name

    def cancel(self) -> None:
        pass


@implementer(IHostnameResolver)
class LoopbackResolver:
    """Resolves 'localhost' (any case) to the loopback address and nothing else, a turn
    later: the same answers as oracle.js's ``dns.lookup``, without the network."""

    def resolveHostName(
        self,
        resolutionReceiver: Any,
        hostName: str,
        portNumber: int = 0,
        addressTypes: Any = None,
        transportSemantics: str = "TCP",
    ) -> Any:
        resolution = _Resolution(hostName)
        resolutionReceiver.resolutionBegan(resolution)

        def answer() -> None:
            if hostName.lower() == "localhost":
                if addressTypes is not None and list(addressTypes) == [IPv6Address]:
                    resolutionReceiver.addressResolved(IPv6Address("TCP", "::1", portNumber))
                else:
                    resolutionReceiver.addressResolved(IPv4Address("TCP", "127.0.0.1", portNumber))
            resolutionReceiver.resolutionComplete()

        R.callLater(0, answer)
        return resolution


class _Guard:
    """Wraps ``twnet._listen.endpoint_for``: records where each listen asked to bind, and
    binds 127.0.0.1 port 0 instead (as oracle.js does)."""

    def __init__(self) -> None:
        self.binds: list[dict[str, Any]] | None = None
        self.real = _listen.endpoint_for

    def __call__(self, reactor: Any, **kw: Any) -> Any:
        if kw.get("path") is not None:
            asked: dict[str, Any] = {"kind": "path"}
        elif kw.get("fd") is not None:
            asked = {"kind": "fd"}
        else:
            host = kw.get("host")
            cls = "any" if host in (None, "::", "0.0.0.0") else str(host)
            asked = {"kind": "tcp", "host": cls, "port": kw.get("port")}
            kw = {**kw, "host": "127.0.0.1", "port": 0}
        if self.binds is not None:
            self.binds.append(asked)
        return self.real(reactor, **kw)


@contextlib.contextmanager
def safe_twnet(workdir: str) -> Iterator[_Guard]:
    """For the duration: the loopback-only resolver, the bind guard, and *workdir* as the
    working directory (listen(path) binds relative names there)."""
    guard = _Guard()
    old_resolver = R.nameResolver
    R.installNameResolver(LoopbackResolver())
    _listen.endpoint_for = guard  # type: ignore[assignment]
    old_cwd = os.getcwd()
    os.chdir(workdir)
    try:
        yield guard
    finally:
        os.chdir(old_cwd)
        _listen.endpoint_for = guard.real  # type: ignore[assignment]
        R.installNameResolver(old_resolver)


# -- twnet's side: running a case ------------------------------------------------------------


class Hang(Exception):
    """A synchronous call ran past its deadline."""


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    def on_alarm(signum: int, frame: Any) -> None:
        raise Hang(f"the call ran for more than {seconds} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


async def wait(d: defer.Deferred[Any], seconds: float = DEADLINE) -> Any:
    """Wait (the reactor runs) until *d* fires, or raise :class:`Hang`."""
    timer = R.callLater(seconds, lambda: d.cancel() if not d.called else None)
    try:
        return await d
    except defer.CancelledError:
        raise Hang(f"nothing happened within {seconds} s") from None
    finally:
        if timer.active():
            timer.cancel()


async def turn() -> None:
    """Let the reactor run one turn (twnet's ticks included)."""
    d: defer.Deferred[None] = defer.Deferred()
    R.callLater(0, d.callback, None)
    await wait(d)


async def until_event(emitter: Any, names: list[str], seconds: float = DEADLINE) -> tuple[str, Any]:
    """The first of *names* that *emitter* emits, with its argument; ('timeout', None)."""
    d: defer.Deferred[tuple[str, Any]] = defer.Deferred()
    handlers: dict[str, Callable[..., None]] = {}

    def make(name: str) -> Callable[..., None]:
        def handler(*args: Any) -> None:
            for n, h in handlers.items():
                emitter.removeListener(n, h)
            if not d.called:
                d.callback((name, args[0] if args else None))

        return handler

    for name in names:
        handlers[name] = make(name)
        emitter.once(name, handlers[name])
    try:
        return await wait(d, seconds)  # type: ignore[no-any-return]
    except Hang:
        for n, h in handlers.items():
            emitter.removeListener(n, h)
        return ("timeout", None)


def open_fds() -> dict[str, str]:
    """The process's open descriptors, with what each is."""
    found = {}
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            found[fd] = os.readlink(f"/proc/self/fd/{fd}")
    return found


def describe(error: Any, arguments: list[Any]) -> dict[str, Any]:
    """An exception as an outcome's ``throw``."""
    if not isinstance(error, BaseException):
        # destroy(5), emit('error', 5): what was given is what is thrown or emitted
        return {"name": "non-error", "code": None, "message": repr(error)}
    if any(error is a for a in _flatten(arguments)):
        # emit('error', err) throws err itself, as Node throws the Error it was given.
        return {"name": "Error", "code": None, "message": str(error)}
    if not isinstance(error, NodeError):
        return {
            "name": "raw",
            "code": None,
            "message": f"{type(error).__module__}.{type(error).__qualname__}: {error}",
        }
    if isinstance(error, TypeError):
        name = "TypeError"
    elif isinstance(error, ValueError):
        name = "RangeError"
    else:
        name = "Error"
    return {"name": name, "code": error.code or None, "message": error.message}


def _flatten(values: Any) -> Iterator[Any]:
    for value in values:
        yield value
        if isinstance(value, (list, tuple)):
            yield from _flatten(value)
        elif isinstance(value, dict):
            yield from _flatten(list(value.values()))


class Case:
    """One run of a call on twnet: its objects, its outcome, its problems."""

    def __init__(self, guard: _Guard) -> None:
        self.guard = guard
        self.made: list[Any] = []
        self.peers: list[Any] = []
        self.errors: list[dict[str, Any]] = []
        self.problems: list[str] = []
        self.arguments: list[Any] = []
        self.timers: list[Any] = []
        self.pending: list[defer.Deferred[Any]] = []
        self.closing = False

    def track(self, obj: Any) -> Any:
        if isinstance(obj, (Stream, twnet.Server)) and not any(obj is m for m in self.made):
            self.made.append(obj)
            obj.on("error", lambda err: self.errors.append(describe(err, self.arguments)))
        return obj

    # receivers

    async def receiver(self, kind: str) -> Any:
        if kind == "net":
            return twnet
        if kind == "socket":
            return self.track(twnet.Socket())
        if kind == "server":
            return self.track(twnet.Server())
        if kind == "emitter":
            return twnet.EventEmitter()
        simple = {
            "timers": lambda: twnet.timers,
            "timers.promises": lambda: twnet.timers.promises,
            "AbortSignal": lambda: twnet.AbortSignal,
            "controller": twnet.AbortController,
            "signal": lambda: twnet.AbortController().signal,
            "blocklist": twnet.BlockList,
            "BlockList": lambda: twnet.BlockList,
            "SocketAddress": lambda: twnet.SocketAddress,
            "events": lambda: twnet.events,
            "stream": lambda: twnet.stream,
            "stream.promises": lambda: twnet.stream.promises,
            "Readable": lambda: twnet.stream.Readable,
            "Duplex": lambda: twnet.stream.Duplex,
            "readable": lambda: self.track(v.Fresh("readable").make()),
            "writable": lambda: self.track(v.Fresh("writable").make()),
            "process": lambda: twnet,
        }
        if kind in simple:
            return simple[kind]()
        if kind == "listening":
            server = self.track(twnet.Server())
            server.listen(0, "127.0.0.1")
            event, arg = await until_event(server, ["listening", "error"])
            assert event == "listening", (event, arg)
            return server
        if kind == "connected":
            peer = twnet.createServer()
            self.peers.append(peer)
            peer.on("connection", self._peer_connection)
            peer.listen(0, "127.0.0.1")
            assert (await until_event(peer, ["listening", "error"]))[0] == "listening"
            client = self.track(twnet.connect(peer.address()["port"], "127.0.0.1"))
            event, arg = await until_event(client, ["connect", "error"])
            assert event == "connect", (event, arg)
            return client
        raise AssertionError(f"unknown receiver {kind}")

    def _peer_connection(self, sock: Any) -> None:
        self.peers.append(sock)
        sock.on("error", lambda err: None)
        sock.on("end", lambda: sock.destroy())

    # closing

    async def close_all(self) -> None:
        self.closing = True
        for timer in self.timers:
            if isinstance(timer, twnet.Immediate):
                twnet.clearImmediate(timer)
            else:
                twnet.clearTimeout(timer)
        for d in self.pending:
            if not d.called:
                d.cancel()
        everything = [*self.made, *self.peers]
        for obj in everything:
            if isinstance(obj, Stream) and not obj.destroyed:
                obj.destroy()
        closing: list[defer.Deferred[None]] = []
        for obj in everything:
            if isinstance(obj, twnet.Server) and obj.listening:
                d: defer.Deferred[None] = defer.Deferred()
                obj.close(lambda *_, d=d: d.callback(None) if not d.called else None)
                closing.append(d)
        if closing:
            try:
                await wait(defer.gatherResults(closing))
            except Hang:
                self.problems.append("a server did not close within the deadline")
        for obj in everything:
            if (
                isinstance(obj, Stream)
                and not obj.closed
                and (await until_event(obj, ["close"]))[0] == "timeout"
            ):
                self.problems.append("a destroyed socket did not emit 'close'")


def _invoke(receiver: Any, method: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    if method.startswith("new stream."):
        return getattr(twnet.stream, method[11:])(*args, **kwargs)
    if method.startswith("new "):
        return getattr(twnet, method[4:])(*args, **kwargs)
    return getattr(receiver, method)(*args, **kwargs)


async def run_twnet(
    call: Call, args: tuple[Any, ...], kwargs: dict[str, Any], guard: _Guard
) -> tuple[dict[str, Any], list[str]]:
    """Make *call* on twnet: its outcome, and the problems found around it."""
    fds_before = open_fds()
    calls_before = {id(c) for c in R.getDelayedCalls()}
    defaults = (
        twnet.getDefaultAutoSelectFamily(),
        twnet.getDefaultAutoSelectFamilyAttemptTimeout(),
    )
    case = Case(guard)
    outcome: dict[str, Any] = {"throw": None}
    with capture_failures() as failures:
        receiver = await case.receiver(call.receiver)
        fresh: list[Any] = []
        arguments = v.materialize(list(args), fresh)
        kwargs = v.materialize(dict(kwargs), fresh)
        case.arguments = [*arguments, *kwargs.values()]
        for obj in fresh:
            case.track(obj)
        guard.binds = []
        result: Any = None
        try:
            with deadline(CALL_DEADLINE):
                result = _invoke(receiver, call.method, arguments, kwargs)
        except Hang as e:
            case.problems.append(f"hang: {e}")
        except Exception as e:  # what the call raised is the outcome
            outcome["throw"] = describe(e, [*arguments, *kwargs.values()])
        if call.wait == "connect":
            if isinstance(result, twnet.Socket):
                result.destroy()
            if call.method == "connect" and isinstance(receiver, twnet.Socket):
                if outcome["throw"] is not None and call.receiver == "socket":
                    _check_not_connecting(receiver, case.problems)
                receiver.destroy()
        case.track(result)
        if isinstance(result, tuple):  # duplexPair
            for item in result:
                case.track(item)
        if isinstance(result, (twnet.Timeout, twnet.Immediate)):
            case.timers.append(result)
        if call.lingering and getattr(result, "_timer", None) is not None:
            # AbortSignal.timeout's own timer (Node's is unref'd and dropped with the signal)
            case.timers.append(result._timer)
        if call.wait == "promise" and outcome["throw"] is None:
            outcome["rejected"] = await _rejection(result, case)
        if call.result and outcome["throw"] is None:
            outcome["result"] = _result(result)
        if call.wait == "listen" and outcome["throw"] is None:
            server = result if isinstance(result, twnet.Server) else receiver
            event, arg = await until_event(server, ["listening", "error", "close"])
            outcome["listen"] = {
                "event": event,
                "error": describe(arg, []) if event == "error" else None,
            }
        await turn()
        await turn()
        outcome["errors"] = list(case.errors)
        outcome["binds"] = guard.binds
        guard.binds = None
        if call.wait == "listen" and call.receiver == "server" and outcome["throw"]:
            await _check_not_listening(receiver, case)
        await case.close_all()
        await turn()
        twnet.setDefaultAutoSelectFamily(defaults[0])
        twnet.setDefaultAutoSelectFamilyAttemptTimeout(defaults[1])
        twnet.stream.setDefaultHighWaterMark(False, 65536)
        twnet.stream.setDefaultHighWaterMark(True, 16)
    outcome["uncaught"] = [_failure(f) for f in failures]
    problems = case.problems
    leftover = [c for c in R.getDelayedCalls() if c.active() and id(c) not in calls_before]
    if leftover:
        problems.append(f"pending DelayedCalls after the case: {leftover}")
        for c in leftover:
            c.cancel()
    fds_after = open_fds()
    if len(fds_after) != len(fds_before):
        new = {fd: what for fd, what in fds_after.items() if fds_before.get(fd) != what}
        problems.append(f"descriptors: {len(fds_before)} before, {len(fds_after)} after: {new}")
    for obj in case.made:
        if _runtime.is_held(obj):
            problems.append(f"{obj!r} still holds twnet.run() after it was closed")
    return outcome, problems


async def _rejection(result: Any, case: Case) -> dict[str, Any] | None:
    """Whether the promise-like *result* rejects within two turns (a bad argument), and
    with what; a valid timer still pending is cancelled when the case ends."""
    rejected: list[dict[str, Any]] = []
    if isinstance(result, defer.Deferred):
        d = result
    elif hasattr(result, "__await__"):
        d = defer.ensureDeferred(result)
    else:
        return None

    def on_error(failure: Any) -> None:
        if not failure.check(defer.CancelledError) and not case.closing:
            rejected.append(describe(failure.value, case.arguments))

    d.addErrback(on_error)
    case.pending.append(d)
    await turn()
    await turn()
    return rejected[0] if rejected else None


def _result(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, (bool, int, float, str)):
        return v.encode(value)
    if isinstance(value, list):
        return {"t": "arr", "v": [_result(x) for x in value]}
    return {"t": "inst", "cls": type(value).__name__}


def _failure(failure: Any) -> dict[str, Any]:
    return describe(failure.value, [])


def _check_not_connecting(sock: Any, problems: list[str]) -> None:
    if sock.connecting or sock.readyState == "opening":
        problems.append("connect raised but left the socket connecting")
    if _runtime.is_held(sock):
        problems.append("connect raised but the socket holds twnet.run()")


async def _check_not_listening(server: Any, case: Case) -> None:
    """After listen raised: nothing half-done, a valid listen works."""
    if server.listening:
        case.problems.append("listen raised but the server is listening")
        return
    if _runtime.is_held(server):
        case.problems.append("listen raised but the server holds twnet.run()")
    try:
        server.listen(0, "127.0.0.1")
    except Exception as e:
        case.problems.append(f"after listen raised, listen(0, '127.0.0.1') raised {e!r}")
        return
    event, arg = await until_event(server, ["listening", "error"])
    if event != "listening":
        case.problems.append(f"after listen raised, listen(0) ended in {event} {arg!r}")


# -- comparing ---------------------------------------------------------------------------------

#: Codes whose message quotes the value without "Received": compare up to the value.
_QUOTING = {
    "ERR_INVALID_IP_ADDRESS": ":",
    "ERR_UNKNOWN_ENCODING": ":",
    "ERR_UNHANDLED_ERROR": "(",
    "ERR_INVALID_FD_TYPE": ":",
    "ERR_INVALID_RETURN_VALUE": " but got ",
}


def message_head(message: str, code: str | None) -> str:
    """The part of a message that does not quote the value (twnet quotes Python's)."""
    for marker in (". Received ", " Received "):
        if marker in message:
            message = message.split(marker, 1)[0]
    cut = _QUOTING.get(code or "")
    if cut and cut in message:
        message = message.split(cut, 1)[0]
    return message.rstrip(". ")


def _same_throw(node: dict[str, Any] | None, tw: dict[str, Any] | None) -> str | None:
    if node is None and tw is None:
        return None
    if node is None:
        assert tw is not None
        return f"node accepts, twnet raises {_show(tw)}"
    if tw is None:
        return f"node throws {_show(node)}, twnet accepts"
    if tw["name"] == "raw":
        return f"node throws {_show(node)}, twnet raises {tw['message']}"
    if node["code"] is None and node["name"] == "TypeError" and tw["name"] == "TypeError":
        # A JavaScript engine TypeError ("dest.on is not a function"): Node has no code and
        # its message is the engine's; any twnet TypeError (a NodeError) is the match.
        return None
    if node["code"] is None and node["name"] == "SyntaxError":
        # JSON.parse's SyntaxError (no code, the engine's message): any twnet NodeError.
        return None
    if node["name"] != tw["name"] or node["code"] != tw["code"]:
        return f"node throws {_show(node)}, twnet raises {_show(tw)}"
    if message_head(node["message"], node["code"]) != message_head(tw["message"], tw["code"]):
        return f"messages differ: node {node['message']!r}, twnet {tw['message']!r}"
    return None


def _show(error: dict[str, Any]) -> str:
    return f"{error['name']} {error['code']} ({error['message'][:160]!r})"


def _tcp(binds: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """The TCP binds (a path or descriptor listen is judged by its 'listening' / 'error')."""
    return [b for b in binds or [] if b["kind"] == "tcp"]


def _codes(errors: list[dict[str, Any]]) -> list[Any]:
    return sorted({(e["name"], e["code"]) for e in errors}, key=str)


def compare(node: dict[str, Any], tw: dict[str, Any], connect: bool = False) -> str | None:
    """How twnet's outcome differs from Node's, or None. For a connect form (*connect*) the
    'error' events are not compared: the socket is destroyed at once, and what it emitted
    by then depends on how far the connection got, which is not what the battery tests."""
    diff = _same_throw(node.get("throw"), tw.get("throw"))
    if diff:
        return diff
    if "rejected" in node or "rejected" in tw:
        diff = _same_throw(node.get("rejected"), tw.get("rejected"))
        if diff:
            return f"promise: {diff.replace('throws', 'rejects').replace('raises', 'rejects')}"
    if "result" in node and node.get("result") != tw.get("result"):
        return f"node returns {node.get('result')!r}, twnet {tw.get('result')!r}"
    n_listen, t_listen = node.get("listen"), tw.get("listen")
    if n_listen or t_listen:
        if not n_listen or not t_listen or n_listen["event"] != t_listen["event"]:
            return f"listen: node {n_listen}, twnet {t_listen}"
        if n_listen["event"] == "error":
            diff = _same_throw(n_listen["error"], t_listen["error"])
            if diff:
                return f"listen error: {diff}"
    if _tcp(node.get("binds")) != _tcp(tw.get("binds")):
        return f"binds: node {node.get('binds')}, twnet {tw.get('binds')}"
    if _codes(node.get("uncaught", [])) != _codes(tw.get("uncaught", [])):
        return f"uncaught: node {node.get('uncaught')}, twnet {tw.get('uncaught')}"
    if not connect and _codes(node.get("errors", [])) != _codes(tw.get("errors", [])):
        return f"'error' events: node {node.get('errors')}, twnet {tw.get('errors')}"
    return None


def compare_variants(
    nodes: list[dict[str, Any]], tw: dict[str, Any], connect: bool = False
) -> str | None:
    """None when twnet's outcome matches Node's for undefined or for null."""
    diffs = [compare(n, tw, connect) for n in nodes]
    if any(d is None for d in diffs):
        return None
    return diffs[0]

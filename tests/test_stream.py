"""twnet._stream against Node 24's stream.Duplex: the same scenarios, the same event order.

Each scenario exists twice: as ``tests/stream_scenarios/<name>.js`` (run by Node 24) and as a
function here. Both log what happens in the same format; ``EXPECTED`` holds what Node 24
printed. ``test_scenario`` checks twnet prints the same, ``test_node_still_prints_expected``
re-runs the JavaScript (when a Node >= 22 is found) to check the stored expectations.
Phases run one after another with the nextTick queue drained in between, as Node drains it
between the macrotasks of ``harness.js``'s ``run()``.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import twnet
from tests._node import find_node
from twnet._errors import NodeError
from twnet._events import EventEmitter
from twnet._runtime import drain_ticks
from twnet._stream import DEFAULT_HIGH_WATER_MARK, Completion, Duplex, Readable, Writable
from twnet.testing import capture_failures

SCENARIOS = Path(__file__).resolve().parent / "stream_scenarios"

Phase = Callable[[], None]


# -- the Python twin of harness.js ----------------------------------------------------------


def fmt(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, bytes):
        return f"<{value.decode('latin-1')}>"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, BaseException):
        return f"E:{getattr(value, 'code', None)}"
    if isinstance(value, list):
        return "[" + ",".join(fmt(v) for v in value) + "]"
    return str(value)


class Log:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, label: str, *values: object) -> None:
        self.lines.append(" ".join([label, *(fmt(v) for v in values)]))

    def cb(self, name: str) -> Callable[[BaseException | None], None]:
        return lambda err: self(name, err)

    def watch(self, stream: EventEmitter, name: str, events: Iterable[str]) -> None:
        for event in events:
            stream.on(event, self._listener(f"{name}.{event}"))

    def _listener(self, label: str) -> Callable[..., None]:
        def listener(*args: Any) -> None:
            self(label, *(a for a in args if not isinstance(a, EventEmitter | dict)))

        return listener

    def run(self, phases: Iterable[Phase]) -> list[str]:
        for phase in phases:
            phase()
            drain_ticks()
        return self.lines


class Fake(Duplex):
    """harness.js's Fake: a Duplex whose source and sink log every call."""

    def __init__(
        self,
        log: Log,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        sync: bool = True,
        writev: bool = False,
        final: bool = False,
    ) -> None:
        super().__init__(options or {})
        self.log = log
        self.name = name
        self.sync = sync
        self.pending: list[Completion] = []
        self.sunk: list[bytes] = []
        if writev:
            self._writev = self._log_writev
        if final:
            self._final = self._log_final

    def _read(self, size: int) -> None:
        self.log(f"{self.name}._read", size)

    def _write(self, chunk: bytes, encoding: str, callback: Completion) -> None:
        self.log(f"{self.name}._write", chunk)
        self.sunk.append(chunk)
        self.complete(callback)

    def _log_writev(self, entries: list[dict[str, Any]], callback: Completion) -> None:
        assert all(entry["encoding"] == "buffer" for entry in entries)
        chunks = [entry["chunk"] for entry in entries]
        self.log(f"{self.name}._writev", chunks)
        self.sunk.extend(chunks)
        self.complete(callback)

    def _log_final(self, callback: Completion) -> None:
        self.log(f"{self.name}._final")
        self.complete(callback)

    def _destroy(self, error: BaseException | None, callback: Completion) -> None:
        self.log(f"{self.name}._destroy", error)
        callback(error)

    def complete(self, callback: Completion) -> None:
        if self.sync:
            callback()
        else:
            self.pending.append(callback)

    def done(self, error: BaseException | None = None) -> None:
        self.pending.pop(0)(error)


class Boom(Exception):
    code = "EBOOM"


# -- the scenarios (each mirrors stream_scenarios/<name>.js line by line) ---------------------


def scenario_flowing() -> list[str]:
    log = Log()
    d = Fake(log, "d")
    log.watch(d, "d", ["end", "finish", "close", "pause", "resume"])

    def a() -> None:
        log("push", d.push(b"one"))
        log("state", d.readableFlowing, d.readableLength, d.isPaused())

    def b() -> None:
        d.on("data", lambda chunk: log("d.data", chunk))
        log("state", d.readableFlowing, d.readableLength)

    def c() -> None:
        log("push", d.push(b"two"))
        log("push", d.push(b"three"))
        log("state", d.readableFlowing, d.readableLength)

    def e() -> None:
        d.pause()
        log("push", d.push(b"four"))
        log("state", d.readableFlowing, d.readableLength, d.isPaused())

    def f() -> None:
        d.resume()
        log("push", d.push(None))
        log("state", d.readableFlowing, d.readableLength, d.isPaused())

    def g() -> None:
        log("ended", d.readableEnded, d.readable, d.destroyed)
        d.end()

    def h() -> None:
        log("closed", d.destroyed, d.closed, d.writableFinished)

    return log.run([a, b, c, e, f, g, h])


def scenario_readable_event() -> list[str]:
    log = Log()
    d = Fake(log, "d", {"readableHighWaterMark": 8})

    def on_readable() -> None:
        log("d.readable", d.readableLength)
        while (chunk := d.read(3)) is not None:
            log("read", chunk)
        log("left", d.readableLength)

    d.on("readable", on_readable)
    log.watch(d, "d", ["data", "end", "close"])

    def a() -> None:
        log("state", d.readableFlowing)
        log("push", d.push(b"abcdefg"))

    def b() -> None:
        log("push", d.push(b"hijkl"))
        log("push", d.push(b"mnop"))

    def c() -> None:
        log("push", d.push(None))

    def e() -> None:
        log("state", d.readableEnded, d.readableLength, d.readableFlowing)

    return log.run([a, b, c, e])


def scenario_read_backpressure() -> list[str]:
    log = Log()
    d = Fake(log, "d", {"readableHighWaterMark": 5})

    def a() -> None:
        log("push", d.push(b"abc"))
        log("push", d.push(b"def"))
        log("len", d.readableLength)

    def b() -> None:
        log("read", d.read(4))
        log("len", d.readableLength)

    def c() -> None:
        log("push", d.push(b"ghi"))

    def e() -> None:
        log("read", d.read())
        log("read", d.read(20))
        log("hwm", d.readableHighWaterMark)

    def f() -> None:
        log("push", d.push(b"jk"))
        log("push", d.push(None))
        log("read", d.read(20))
        log("read", d.read())

    def g() -> None:
        log("ended", d.readableEnded)

    return log.run([a, b, c, e, f, g])


def scenario_write_async() -> list[str]:
    log = Log()
    d = Fake(log, "d", {"writableHighWaterMark": 6}, sync=False)
    log.watch(d, "d", ["drain", "prefinish", "finish", "close", "error"])

    def a() -> None:
        log("w", d.write("abc", log.cb("cb1")))
        log("w", d.write(b"def", log.cb("cb2")))
        log("w", d.write("g", "latin1", log.cb("cb3")))
        log("state", d.writableLength, d.writableNeedDrain)

    def b() -> None:
        d.done()
        log("state", d.writableLength, d.writableNeedDrain)

    def c() -> None:
        d.done()
        log("state", d.writableLength)

    def e() -> None:
        d.done()
        log("state", d.writableLength, d.writableNeedDrain)

    def f() -> None:
        log("w", d.write("h", log.cb("cb4")))
        d.end("ij", log.cb("endcb"))
        log("state", d.writableEnded, d.writableFinished, d.writable)

    def g() -> None:
        log("state", d.writableFinished, d.destroyed)
        d.push(None)
        d.resume()

    def h() -> None:
        log("state", d.destroyed)

    return log.run([a, b, c, e, f, d.done, d.done, g, h])


def scenario_write_sync() -> list[str]:
    log = Log()
    d = Fake(log, "d", {"writableHighWaterMark": 4})
    log.watch(d, "d", ["drain", "prefinish", "finish", "close"])
    same = log.cb("same")

    def a() -> None:
        log("w", d.write("ab", log.cb("cb1")))
        log("w", d.write("cdef", same))
        log("w", d.write("gh", same))
        log("w", d.write("ij"))
        log("w", d.write("kl", log.cb("cb2")))
        log("state", d.writableLength, d.writableNeedDrain)

    def b() -> None:
        d.end(log.cb("endcb"))
        d.end(log.cb("endcb2"))
        log("state", d.writableEnded, d.writableFinished)

    def c() -> None:
        log("state", d.writableFinished)
        d.end(log.cb("endcb3"))

    return log.run([a, b, c])


def scenario_cork() -> list[str]:
    log = Log()
    d = Fake(log, "d", writev=True)
    log.watch(d, "d", ["finish"])

    def a() -> None:
        d.cork()
        log("w", d.write("a", log.cb("cb1")))
        log("w", d.write("b"))
        log("w", d.write("c", log.cb("cb3")))
        log("state", d.writableCorked, d.writableLength)
        d.uncork()
        log("state", d.writableCorked, d.writableLength)

    def b() -> None:
        d.cork()
        d.cork()
        d.write("x", log.cb("cb4"))
        d.uncork()
        log("state", d.writableCorked, d.writableLength)
        d.write("y")
        d.end("z", log.cb("endcb"))
        log("state", d.writableCorked, d.writableLength)

    return log.run([a, b])


def scenario_write_after_end() -> list[str]:
    log = Log()
    d = Fake(log, "d")
    log.watch(d, "d", ["error", "finish", "close"])

    def a() -> None:
        d.end("last", log.cb("endcb"))
        log("w", d.write("more", log.cb("cb1")))
        log("state", d.destroyed, d.errored)

    def b() -> None:
        log("state", d.destroyed, d.closed, d.errored, d.writableFinished)

    return log.run([a, b])


def scenario_destroy() -> list[str]:
    log = Log()
    d = Fake(log, "d", sync=False)
    log.watch(d, "d", ["error", "close", "finish", "drain", "end", "data"])
    boom = Boom("boom")

    def a() -> None:
        d.write("a", log.cb("cb1"))
        d.write("b", log.cb("cb2"))
        d.write("c", log.cb("cb3"))
        d.end(log.cb("endcb"))
        d.push(b"unread")
        d.destroy(boom)
        log("state", d.destroyed, d.closed, d.errored, d.writable, d.readable)
        d.destroy(Exception("again"))

    def b() -> None:
        log("w", d.write("late", log.cb("cb4")))
        log("push", d.push(b"x"))
        log("read", d.read())

    def c() -> None:
        d.done()
        log("state", d.writableLength)

    return log.run([a, b, c])


def scenario_destroy_plain() -> list[str]:
    log = Log()
    d = Fake(log, "d", sync=False)
    q = Fake(log, "q", {"emitClose": False})
    log.watch(d, "d", ["error", "close", "end", "finish"])
    log.watch(q, "q", ["error", "close", "end", "finish"])

    def a() -> None:
        d.cork()
        d.write("a", log.cb("cb1"))
        d.write("b", log.cb("cb2"))
        d.destroy()
        q.destroy()
        log("state", d.destroyed, d.closed, d.errored, q.destroyed)

    def b() -> None:
        log("state", d.closed, q.closed)
        d.end(log.cb("endcb"))

    return log.run([a, b])


def scenario_half_open() -> list[str]:
    log = Log()
    d = Fake(log, "d", {"allowHalfOpen": False}, sync=False, final=True)
    h = Fake(log, "h", sync=False, final=True)
    log.watch(d, "d", ["data", "end", "prefinish", "finish", "close"])
    log.watch(h, "h", ["data", "end", "prefinish", "finish", "close"])

    def a() -> None:
        d.write("a", log.cb("cb1"))
        d.push(b"in")
        d.push(None)
        h.push(None)
        log("state", d.allowHalfOpen, h.allowHalfOpen)

    def b() -> None:
        log("state", d.writable, d.writableEnded, h.writable, h.writableEnded)

    def c() -> None:
        log("state", d.destroyed, h.destroyed)

    return log.run([a, b, d.done, d.done, c])


def scenario_pipe() -> list[str]:
    log = Log()
    src = Fake(log, "src")
    dst = Fake(log, "dst", {"writableHighWaterMark": 4}, sync=False)
    log.watch(src, "src", ["end", "pause", "resume", "close"])
    log.watch(dst, "dst", ["pipe", "unpipe", "drain", "finish", "close"])
    events = ["data", "end", "drain", "error", "close", "finish", "unpipe"]

    def counts() -> None:
        log(
            "counts",
            [src.listenerCount(e) for e in events],
            [dst.listenerCount(e) for e in events],
        )

    def a() -> None:
        counts()
        log("pipe", src.pipe(dst) is dst)
        counts()

    def b() -> None:
        log("push", src.push(b"abcd"))
        log("push", src.push(b"ef"))

    def c() -> None:
        log("state", src.isPaused(), src.readableFlowing, src.readableLength, dst.writableLength)
        dst.done()

    def e() -> None:
        log("state", src.isPaused(), src.readableFlowing, src.readableLength, dst.writableLength)
        dst.done()
        src.unpipe(dst)
        counts()
        log("state", src.readableFlowing)

    def f() -> None:
        src.pipe(dst, {"end": False})
        src.push(b"gh")
        src.push(None)

    def g() -> None:
        dst.done()
        counts()
        log("state", dst.writableEnded)
        src.pipe(dst)

    def h() -> None:
        log("state", dst.writableEnded)
        counts()

    return log.run([a, b, c, e, f, g, h])


def scenario_encoding() -> list[str]:
    log = Log()
    streams: dict[str, Fake] = {}
    for enc in ["utf8", "utf16le", "base64", "hex", "latin1"]:
        s = Fake(log, enc)
        s.setEncoding(enc)
        s.on("data", log._listener(f"{enc}.data"))
        s.on("end", log._listener(f"{enc}.end"))
        streams[enc] = s
    later = Fake(log, "later")

    def push_all(data: bytes) -> None:
        for s in streams.values():
            s.push(data)

    def a() -> None:
        push_all(bytes([0xE2, 0x82]))
        later.push(bytes([0xE2, 0x82]))
        log("state", streams["utf8"].readableEncoding, streams["utf16le"].readableEncoding)

    def b() -> None:
        push_all(bytes([0xAC, 0x41, 0xF0, 0x9F]))
        later.push(bytes([0xAC, 0x41, 0xF0, 0x9F]))

    def c() -> None:
        push_all(bytes([0x98, 0x80, 0x42, 0xF0]))
        later.setEncoding("utf8")
        log("later", later.readableLength, later.read())

    def e() -> None:
        for s in streams.values():
            s.push(None)

    return log.run([a, b, c, e])


def scenario_unshift() -> list[str]:
    log = Log()
    d = Fake(log, "d", {"autoDestroy": False})
    log.watch(d, "d", ["end", "error", "close"])

    def a() -> None:
        d.push(b"hello world")
        head = d.read(5)
        log("read", head, d.readableLength)
        log("unshift", d.unshift(head))
        log("len", d.readableLength)
        log("read", d.read())

    def b() -> None:
        d.push(None)
        log("read", d.read())

    def c() -> None:
        log("unshift", d.unshift(b"late"))

    def e() -> None:
        log("push", d.push(b"more"))
        log("state", d.errored, d.destroyed)

    return log.run([a, b, c, e])


def scenario_sink_error() -> list[str]:
    log = Log()
    a = Fake(log, "a", sync=False)
    bang = Boom("bang")
    bang.code = "EBANG"

    class Failing(Fake):
        def _write(self, chunk: bytes, encoding: str, callback: Completion) -> None:
            self.log("s._write", chunk)
            callback(bang)
            self.log("s.after")

    s = Failing(log, "s")
    log.watch(a, "a", ["error", "close", "finish", "drain"])
    log.watch(s, "s", ["error", "close", "finish"])

    def phase_a() -> None:
        a.write("1", log.cb("cb1"))
        a.write("2", log.cb("cb2"))
        a.end("3", log.cb("endcb"))
        a.done(Boom("boom"))
        log("state", a.destroyed, a.errored, a.writableLength)

    def phase_b() -> None:
        log("w", s.write("x", log.cb("cbx")))
        log("w", s.write("y", log.cb("cby")))
        log("state", s.destroyed, s.errored, s.writableLength)

    def phase_c() -> None:
        log("state", s.destroyed, s.closed)

    return log.run([phase_a, phase_b, phase_c])


def scenario_readable_switch() -> list[str]:
    log = Log()
    d = Fake(log, "d")
    p = Fake(log, "p")

    def on_readable() -> None:
        log("d.readable", d.readableLength)

    d.on("readable", on_readable)
    d.on("data", log._listener("d.data"))
    p.prependListener("data", log._listener("p.data"))

    def a() -> None:
        d.push(b"a")
        p.push(b"b")
        log("state", d.readableFlowing, p.readableFlowing)

    def b() -> None:
        d.removeListener("readable", on_readable)
        log("state", d.readableFlowing)

    def c() -> None:
        log("state", d.readableFlowing, d.readableLength)
        d.push(b"c")
        p.once("data", log._listener("p.once"))
        log("state", p.readableFlowing)

    def e() -> None:
        p.push(b"e")
        log("state", p.readableFlowing, p.listenerCount("data"))

    return log.run([a, b, c, e])


SCENARIO_FUNCTIONS: dict[str, Callable[[], list[str]]] = {
    name.removeprefix("scenario_"): fn
    for name, fn in globals().items()
    if name.startswith("scenario_") and callable(fn)
}


# -- what Node 24 printed ---------------------------------------------------------------------

EXPECTED: dict[str, str] = {
    "cork": """\
w true
w true
w true
state 1 3
d._writev [<a>,<b>,<c>]
state 0 0
cb1 null
cb3 null
state 1 1
d._writev [<x>,<y>,<z>]
state 0 0
cb4 null
endcb null
d.finish
""",
    "destroy": """\
d._write <a>
d._destroy E:EBOOM
state true true E:EBOOM false false
d.data <unread>
d.error E:EBOOM
d.close
w false
push false
read null
cb4 E:ERR_STREAM_WRITE_AFTER_END
cb1 null
cb2 E:EBOOM
cb3 E:EBOOM
endcb E:EBOOM
state 0
""",
    "destroy_plain": """\
d._destroy null
q._destroy null
state true true null true
cb1 E:ERR_STREAM_DESTROYED
cb2 E:ERR_STREAM_DESTROYED
d.close
state true true
""",
    "encoding": """\
state 'utf8' 'utf16le'
utf8._read 65536
utf16le._read 65536
utf16le.data '苢'
base64._read 65536
hex._read 65536
hex.data 'e282'
latin1._read 65536
latin1.data 'â'
later._read 65536
utf8.data '€A'
utf16le.data '䆬鿰'
base64.data '4oKsQfCf'
hex.data 'ac41f09f'
latin1.data '¬Að'
utf8._read 65536
utf16le._read 65536
base64._read 65536
hex._read 65536
latin1._read 65536
later._read 65536
utf8.data '😀B'
utf16le.data '肘'
base64.data 'mIBC'
hex.data '988042f0'
latin1.data 'Bð'
later 2 '€A'
utf8._read 65536
utf16le._read 65536
base64._read 65536
hex._read 65536
latin1._read 65536
utf8.data '�'
base64.data '8A=='
utf8.end
utf16le.end
base64.end
hex.end
latin1.end
""",
    "flowing": """\
push true
state null 3 false
d._read 65536
state true 3
d.resume
d.data <one>
d.data <two>
push true
d.data <three>
push true
state true 0
d._read 65536
d.pause
push true
state false 4 true
d._read 65536
d.data <four>
push false
state true 0 false
d.resume
d.end
ended true false false
d.finish
d._destroy null
d.close
closed true true true
""",
    "half_open": """\
d._write <a>
state false true
d.data <in>
d.end
h.end
state false true true false
cb1 null
d._final
d.prefinish
d.finish
d._destroy null
d.close
state true false
""",
    "pipe": """\
counts [0,1,0,0,1,0,0] [0,0,1,0,1,1,1]
dst.pipe
pipe true
counts [1,2,0,0,1,0,0] [0,0,1,1,2,2,2]
src._read 65536
src.resume
dst._write <abcd>
src.pause
push true
push true
src._read 65536
state true false 2 4
dst.drain
src.resume
dst._write <ef>
state false true 0 2
src.pause
dst.unpipe
counts [0,1,0,0,1,0,0] [0,0,1,0,1,1,1]
state false
dst.pipe
dst._write <gh>
src.resume
src.end
src.pause
dst.unpipe
counts [0,1,0,0,1,0,0] [0,0,1,0,1,1,1]
state false
dst.pipe
src.resume
dst.finish
src.pause
dst.unpipe
state true
counts [0,1,0,0,1,0,0] [0,0,1,0,1,1,1]
""",
    "read_backpressure": """\
push true
push false
len 6
d._read 5
read <abcd>
len 2
push false
d._read 5
read <efghi>
read null
hwm 32
push true
push false
read <jk>
read null
ended true
""",
    "readable_event": """\
state false
push true
d._read 8
d.readable 7
d.data <abc>
read <abc>
d.data <def>
read <def>
left 1
push true
push false
d.readable 10
d._read 8
d.data <ghi>
read <ghi>
d.data <jkl>
read <jkl>
d.data <mno>
read <mno>
left 1
d.readable 1
d.data <p>
read <p>
left 0
push false
d.end
state true 0 false
""",
    "readable_switch": """\
state false null
d._read 65536
d.readable 1
p._read 65536
state false
d.data <a>
state true 0
d.data <c>
state true
d._read 65536
p.data <b>
p.once <b>
p.data <e>
state true 1
p._read 65536
""",
    "sink_error": """\
a._write <1>
cb1 E:EBOOM
cb2 E:EBOOM
endcb E:EBOOM
a._destroy E:EBOOM
state true E:EBOOM 0
a.error E:EBOOM
a.close
s._write <x>
s.after
w false
w false
state false E:EBANG 1
cbx E:EBANG
cby E:EBANG
s._destroy E:EBANG
s.error E:EBANG
s.close
state true true
""",
    "unshift": """\
d._read 65536
read <hello> 6
unshift true
len 11
read <hello world>
read null
d.end
d.error E:ERR_STREAM_UNSHIFT_AFTER_END_EVENT
unshift false
push false
state E:ERR_STREAM_UNSHIFT_AFTER_END_EVENT false
""",
    "write_after_end": """\
d._write <last>
d._destroy E:ERR_STREAM_WRITE_AFTER_END
w false
state true E:ERR_STREAM_WRITE_AFTER_END
cb1 E:ERR_STREAM_WRITE_AFTER_END
endcb E:ERR_STREAM_WRITE_AFTER_END
d.error E:ERR_STREAM_WRITE_AFTER_END
d.close
state true true E:ERR_STREAM_WRITE_AFTER_END false
""",
    "write_async": """\
d._write <abc>
w true
w false
w false
state 7 true
d._write <def>
cb1 null
state 4 true
d._write <g>
cb2 null
state 1
d.drain
cb3 null
state 0 false
d._write <h>
w true
state true false false
d._write <ij>
cb4 null
d.prefinish
endcb null
d.finish
state true false
d._destroy null
d.close
state true
""",
    "write_sync": """\
d._write <ab>
w true
d._write <cdef>
w true
d._write <gh>
w true
d._write <ij>
w true
d._write <kl>
w true
state 0 false
cb1 null
same null
same null
cb2 null
d.prefinish
state true false
endcb null
endcb2 null
d.finish
state true
endcb3 E:ERR_STREAM_ALREADY_FINISHED
""",
}


def test_every_scenario_has_both_halves() -> None:
    scripts = {p.stem for p in SCENARIOS.glob("*.js")} - {"harness"}
    assert scripts == set(SCENARIO_FUNCTIONS) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_scenario(name: str) -> None:
    drain_ticks()
    assert SCENARIO_FUNCTIONS[name]() == EXPECTED[name].splitlines()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_node_still_prints_expected(name: str) -> None:
    node = find_node((22, 0, 0))
    if node is None:
        pytest.skip("no Node >= 22 found (set TWNET_NODE)")
    out = subprocess.run(
        [node, f"{name}.js"],
        cwd=SCENARIOS,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=True,
    ).stdout
    assert out.splitlines() == EXPECTED[name].splitlines()


# -- unit tests -------------------------------------------------------------------------------


class Sink(Duplex):
    """A Duplex that records what reaches its sink; completes writes at once."""

    def __init__(self, options: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(options, **kwargs)
        self.written: list[bytes] = []

    def _read(self, size: int) -> None:
        pass

    def _write(self, chunk: bytes, encoding: str, callback: Completion) -> None:
        self.written.append(chunk)
        callback()


@pytest.fixture(autouse=True)
def _ticks_drained() -> Iterator[None]:
    drain_ticks()
    yield
    drain_ticks()


CHUNK_TYPE_MESSAGE = (
    'The "chunk" argument must be of type string or an instance of Buffer, TypedArray, '
    "or DataView. Received "
)


@pytest.mark.parametrize("value", [1, 1.5, True, {}, [], object(), len])
def test_write_rejects_other_types_at_once(value: object) -> None:
    sink = Sink()
    with pytest.raises(TypeError) as info:
        sink.write(value)  # type: ignore[arg-type]
    assert isinstance(info.value, NodeError)
    assert info.value.code == "ERR_INVALID_ARG_TYPE"
    assert str(info.value).startswith(CHUNK_TYPE_MESSAGE)
    assert sink.written == []
    assert sink.writableLength == 0


def test_write_none_and_unknown_encodings_raise() -> None:
    sink = Sink()
    with pytest.raises(TypeError, match="May not write null values to stream") as info:
        sink.write(None)  # type: ignore[arg-type]
    assert getattr(info.value, "code", None) == "ERR_STREAM_NULL_VALUES"
    for encoding in ("bogus", "buffer"):
        with pytest.raises(TypeError, match=f"Unknown encoding: {encoding}") as info:
            sink.write("a", encoding)
        assert getattr(info.value, "code", None) == "ERR_UNKNOWN_ENCODING"
    with pytest.raises(TypeError, match="Unknown encoding: bogus"):
        sink.write(b"a", "bogus")
    with pytest.raises(TypeError, match="Unknown encoding: bogus"):
        sink.setDefaultEncoding("bogus")
    sink.write(b"ok", "buffer")
    assert sink.written == [b"ok"]


def test_the_sink_receives_bytes_whatever_was_written() -> None:
    sink = Sink()
    sink.write("é")
    sink.write("é", "latin1")
    sink.write("YWI=", "base64")
    sink.write(bytearray(b"ba"))
    sink.write(memoryview(b"mv"))
    sink.setDefaultEncoding("HEX")
    sink.write("6162")
    sink.end("ff00", "hex")
    assert sink.written == [b"\xc3\xa9", b"\xe9", b"ab", b"ba", b"mv", b"ab", b"\xff\x00"]
    assert all(type(chunk) is bytes for chunk in sink.written)


def test_a_queued_bytearray_is_copied() -> None:
    log = Log()
    d = Fake(log, "d", sync=False)
    d.write(b"first")
    data = bytearray(b"abc")
    d.write(data)
    data[0] = ord("X")
    d.done()
    assert log.lines[-1] == "d._write <abc>"


def test_options_as_dict_snake_case_or_keywords() -> None:
    assert Duplex().allowHalfOpen is True
    assert Duplex({"allowHalfOpen": False}).allowHalfOpen is False
    assert Duplex({"allow_half_open": False}).allow_half_open is False  # type: ignore[attr-defined]
    assert Duplex(allow_half_open=False).allowHalfOpen is False
    d = Duplex(highWaterMark=10)
    assert (d.readableHighWaterMark, d.writableHighWaterMark) == (10, 10)
    d = Duplex(readable_high_water_mark=5, writableHighWaterMark=7)
    assert (d.readableHighWaterMark, d.writableHighWaterMark) == (5, 7)
    assert Duplex().readableHighWaterMark == DEFAULT_HIGH_WATER_MARK == 65536
    # Not a Duplex: only highWaterMark counts, as in Node.
    assert Readable({"readableHighWaterMark": 5}).readableHighWaterMark == 65536
    assert Writable(high_water_mark=0).writableHighWaterMark == 0


@pytest.mark.parametrize("value", [-1, 1.5, "16", True, float("inf")])
def test_invalid_high_water_mark(value: object) -> None:
    with pytest.raises(TypeError) as info:
        Readable(highWaterMark=value)
    assert getattr(info.value, "code", None) == "ERR_INVALID_ARG_VALUE"
    assert str(info.value).startswith("The property 'options.highWaterMark' is invalid.")
    with pytest.raises(TypeError, match=r"'options\.writableHighWaterMark' is invalid"):
        Duplex(writableHighWaterMark=value)


def test_snake_case_twins() -> None:
    d: Any = Sink()
    d.set_encoding("utf8")
    assert d.readable_encoding == "utf8"
    assert d.readable_length == 0
    assert d.is_paused() is False
    d.set_default_encoding("latin1")
    d.write("é")
    assert d.written == [b"\xe9"]
    assert d.writable_length == 0
    assert d.writable_need_drain is False
    assert d.allow_half_open is True
    listener = lambda chunk: None  # noqa: E731
    d.add_listener("data", listener)
    assert d.readable_flowing is True
    d.remove_listener("data", listener)
    assert d.listener_count("data") == 0


def test_error_without_listener_is_uncaught() -> None:
    d = Sink()
    error = ValueError("nobody listens")
    with capture_failures() as failures:
        d.destroy(error)
        drain_ticks()
    assert [f.value for f in failures] == [error]
    assert d.destroyed and d.closed and d.errored is error


def test_exception_in_read_destroys_with_it() -> None:
    class Broken(Sink):
        def _read(self, size: int) -> None:
            raise RuntimeError("cannot read")

    d = Broken()
    seen: list[object] = []
    d.on("error", seen.append)
    d.on("close", lambda: seen.append("close"))
    d.resume()
    drain_ticks()
    assert [str(seen[0]), seen[1]] == ["cannot read", "close"]


def test_destroy_callback_error_wins() -> None:
    class Replacing(Sink):
        def _destroy(self, error: BaseException | None, callback: Completion) -> None:
            callback(OSError("while closing"))

    d = Replacing()
    seen: list[object] = []
    d.on("error", seen.append)
    d.on("close", lambda: seen.append("close"))
    d.destroy()
    assert seen == []  # asynchronous, as in Node
    drain_ticks()
    assert [str(seen[0]), seen[1]] == ["while closing", "close"]
    d.destroy(ValueError("later"))  # a no-op once destroyed
    drain_ticks()
    assert len(seen) == 2


def test_emit_close_hook() -> None:
    class Socketish(Sink):
        def _emit_close(self) -> None:
            self.emit("close", self.errored is not None)

    d = Socketish()
    seen: list[object] = []
    d.on("close", seen.append)
    d.on("error", lambda err: None)
    d.destroy(ValueError())
    drain_ticks()
    assert seen == [True]


def test_write_after_destroy_fails_quietly() -> None:
    d = Sink()
    seen: list[object] = []
    d.on("error", seen.append)
    d.on("close", lambda: seen.append("close"))
    d.destroy()
    assert d.write(b"late", seen.append) is False  # no exception from deep inside
    drain_ticks()
    assert seen[0] == "close"  # queued by destroy(), before the write's callback
    error = seen[1]
    assert isinstance(error, NodeError) and error.code == "ERR_STREAM_DESTROYED"
    assert str(error) == "Cannot call write after a stream was destroyed"
    assert len(seen) == 2  # no 'error': the stream is already destroyed
    assert d.written == []


def test_completing_a_write_twice() -> None:
    class Twice(Sink):
        def _write(self, chunk: bytes, encoding: str, callback: Completion) -> None:
            callback()
            callback()

    d = Twice()
    seen: list[BaseException] = []
    d.on("error", seen.append)
    d.write(b"x")
    drain_ticks()
    assert [getattr(e, "code", None) for e in seen] == ["ERR_MULTIPLE_CALLBACK"]


def test_bad_push_is_emitted_not_raised() -> None:
    d = Sink()
    seen: list[BaseException] = []
    d.on("error", seen.append)
    assert d.push(42) is False  # type: ignore[arg-type]
    drain_ticks()
    assert getattr(seen[0], "code", None) == "ERR_INVALID_ARG_TYPE"
    e = Sink()
    e.on("error", seen.append)
    e.push(None)
    assert e.push(b"late") is False
    drain_ticks()
    assert getattr(seen[1], "code", None) == "ERR_STREAM_PUSH_AFTER_EOF"


def test_readable_only_and_writable_only() -> None:
    class Source(Readable):
        def _read(self, size: int) -> None:
            pass

    class Target(Writable):
        def __init__(self) -> None:
            super().__init__()
            self.written: list[bytes] = []

        def _write(self, chunk: bytes, encoding: str, callback: Completion) -> None:
            self.written.append(chunk)
            callback()

    seen: list[object] = []
    source = Source(encoding="utf8")
    source.on("end", lambda: seen.append("end"))
    source.on("close", lambda: seen.append("close"))
    source.push(b"caf\xc3")
    source.push(b"\xa9")
    source.push(None)
    target = Target()
    target.on("finish", lambda: seen.append("finish"))
    target.on("close", lambda: seen.append("target close"))
    source.pipe(target)
    drain_ticks()
    assert target.written == [b"caf", b"\xc3\xa9"]  # one write per decoded chunk
    assert seen == ["end", "finish", "close", "target close"]
    assert not hasattr(source, "write") and not hasattr(target, "read")
    assert source.destroyed and target.destroyed and target.writableFinished


def test_duplex_with_one_side_disabled() -> None:
    d = Sink(readable=False)
    assert d.readable is False and d.readableEnded
    seen: list[str] = []
    d.on("close", lambda: seen.append("close"))
    d.end(b"x")
    drain_ticks()
    assert seen == ["close"]  # no readable side to wait for
    w = Sink(writable=False)
    assert w.writable is False and w.writableFinished
    errors: list[BaseException] = []
    w.on("error", errors.append)
    assert w.write(b"x") is False
    drain_ticks()
    assert getattr(errors[0], "code", None) == "ERR_STREAM_WRITE_AFTER_END"


def test_a_writable_cannot_be_piped_from() -> None:
    w = Writable()
    seen: list[BaseException] = []
    w.on("error", seen.append)
    assert w.pipe(Sink()) is not None
    drain_ticks()
    assert getattr(seen[0], "code", None) == "ERR_STREAM_CANNOT_PIPE"
    assert str(seen[0]) == "Cannot pipe, not readable"


def test_pipe_keyword_end_and_unpipe_everything() -> None:
    src, a, b = Sink(), Sink(), Sink()
    unpiped: list[object] = []
    a.on("unpipe", lambda source, info: unpiped.append(source))
    events = ["data", "end", "drain", "error", "close", "finish", "unpipe"]

    def counts() -> list[list[int]]:
        return [[s.listenerCount(e) for e in events] for s in (src, a, b)]

    before = counts()
    src.pipe(a, end=False)
    src.pipe(b)
    assert counts() != before
    src.push(b"both")
    drain_ticks()
    assert a.written == b.written == [b"both"]
    src.unpipe()
    assert unpiped == [src]
    assert counts() == before  # no listener left behind
    assert src.readableFlowing is False
    src.unpipe(a)  # not piped any more: nothing happens
    src.push(None)
    src.resume()
    drain_ticks()
    assert not a.writableEnded and not b.writableEnded


def test_pipe_once_listeners_unwrap_as_node_once_wrappers() -> None:
    # pipe() adds 'close' and 'finish' to the destination and 'end' to the source with
    # once(): listeners() unwraps them, rawListeners() shows the wrappers, whose .listener
    # is what off() takes, and calling a wrapper runs it once and removes it (Node's once).
    src, dest = Sink(), Sink()
    added: list[object] = []
    dest.on("newListener", lambda name, listener: added.append((name, listener)))
    src.pipe(dest)
    (on_close,) = dest.listeners("close")
    (wrapper,) = dest.rawListeners("close")
    assert wrapper is not on_close and wrapper.listener == on_close
    assert ("close", on_close) in added and ("finish", dest.listeners("finish")[0]) in added
    dest.off("close", on_close)
    assert dest.listenerCount("close") == 0
    (on_finish,) = dest.rawListeners("finish")
    assert src.listenerCount("end") == 1
    on_finish()  # Node's onfinish: unpipe; the wrapper removed itself first
    assert dest.listenerCount("finish") == 0
    assert src.listenerCount("end") == 0 and src.listenerCount("data") == 0
    on_finish()  # a once wrapper runs once
    assert src._readableState.pipes == ()


def test_pipe_unpipes_a_destination_that_fails() -> None:
    src, dst = Sink(), Sink()
    seen: list[object] = []
    dst.on("unpipe", lambda source, info: seen.append("unpipe"))
    dst.on("error", lambda err: seen.append(str(err)))
    src.pipe(dst)
    dst.destroy(ValueError("dest failed"))
    drain_ticks()
    assert seen == ["unpipe", "dest failed"]
    assert src.readableFlowing is False


def test_set_encoding_converts_what_is_buffered() -> None:
    d = Sink()
    d.push(b"\xe2\x82")
    d.push(b"\xac!")
    d.setEncoding("utf8")
    assert d.readableLength == 2
    assert d.read() == "€!"
    d.push("text", "utf8")  # a string in the stream's encoding stays a string
    d.push("78", "hex")
    assert d.read() == "textx"
    with pytest.raises(TypeError, match="Unknown encoding: nope"):
        d.setEncoding("nope")


def test_pause_resume_and_flowing_property() -> None:
    d = Sink()
    assert d.readableFlowing is None and not d.isPaused()
    d.pause()
    assert d.readableFlowing is False and d.isPaused()
    d.resume()
    assert d.readableFlowing is True and not d.isPaused()
    d.readableFlowing = False
    assert d.isPaused()


def test_stream_module_imports_no_twisted() -> None:
    import ast

    root = Path(twnet.__file__).parent
    paths = [*sorted((root / "_streams").glob("*.py")), root / "_encoding.py"]
    assert len(paths) > 5
    for path in paths:
        name = path.name
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not any(m.split(".")[0] == "twisted" for m in modules), name


# -- properties -------------------------------------------------------------------------------

chunks_strategy = st.lists(st.binary(min_size=0, max_size=40), max_size=20)


@given(
    chunks=chunks_strategy, sizes=st.lists(st.integers(0, 50), max_size=30), hwm=st.integers(0, 64)
)
def test_paused_reads_return_what_was_pushed(
    chunks: list[bytes], sizes: list[int], hwm: int
) -> None:
    drain_ticks()
    d = Sink(readableHighWaterMark=hwm)
    read: list[bytes] = []
    for chunk in chunks:
        d.push(chunk)
    d.push(None)
    for size in sizes:
        got = d.read(size)
        if got is not None:
            assert isinstance(got, bytes)
            assert len(got) == size or d.readableLength == 0  # the end: what is left
            read.append(got)
    while (rest := d.read()) is not None:
        assert isinstance(rest, bytes)
        read.append(rest)
    assert b"".join(read) == b"".join(chunks)
    assert d.readableLength == 0
    drain_ticks()
    assert d.readableEnded


@given(chunks=chunks_strategy, actions=st.lists(st.sampled_from(["pause", "resume", "tick"])))
def test_flowing_delivers_everything_in_order_then_ends_once(
    chunks: list[bytes], actions: list[str]
) -> None:
    drain_ticks()
    d = Sink(readableHighWaterMark=16)
    seen: list[bytes] = []
    ends: list[None] = []
    d.on("data", seen.append)
    d.on("end", lambda: ends.append(None))
    for i, chunk in enumerate(chunks):
        d.push(chunk)
        action = actions[i] if i < len(actions) else "tick"
        if action == "tick":
            drain_ticks()
        else:
            getattr(d, action)()
    d.push(None)
    d.resume()
    drain_ticks()
    assert b"".join(seen) == b"".join(chunks)
    assert ends == [None]


@given(
    chunks=st.lists(st.binary(min_size=1, max_size=20), min_size=1, max_size=15),
    plan=st.lists(st.sampled_from(["complete", "tick", "cork", "uncork"]), max_size=40),
    writev=st.booleans(),
)
def test_writes_reach_the_sink_in_order_callbacks_once(
    chunks: list[bytes], plan: list[str], writev: bool
) -> None:
    drain_ticks()
    log = Log()
    d = Fake(log, "d", {"writableHighWaterMark": 8}, sync=False, writev=writev)
    calls: list[int] = []
    order: list[str] = []
    d.on("finish", lambda: order.append("finish"))

    def record(index: int) -> Callable[[BaseException | None], None]:
        return lambda err: calls.append(index) if err is None else None

    for i, chunk in enumerate(chunks):
        d.write(chunk, record(i))
    d.end(lambda err: order.append("end callback"))
    for step in plan:
        if step == "complete" and d.pending:
            d.done()
        elif step == "tick":
            drain_ticks()
        elif step == "cork":
            d.cork()
        elif step == "uncork":
            d.uncork()
    while d.writableCorked:
        d.uncork()
    while d.pending:
        d.done()
        drain_ticks()
    drain_ticks()
    assert calls == list(range(len(chunks)))
    written = b"".join(d.sunk)
    assert written == b"".join(chunks)
    assert order == ["end callback", "finish"]
    assert d.writableLength == 0 and d.writableFinished


# -- the socket's fast push: the same observable behaviour as push() ------------------------


class _ReadingSource(Readable):
    """A source that keeps producing by itself (like a socket whose transport reads):
    ``_read`` only records that it was asked."""

    def __init__(self, fast: bool, log: list[str]) -> None:
        super().__init__(highWaterMark=8)
        self.fast = fast
        self.log = log

    def _read(self, size: int) -> None:
        self.log.append("_read")

    def feed(self, chunk: bytes) -> bool:
        return self._push_reading(chunk) if self.fast else self.push(chunk)


_OPS = st.lists(
    st.one_of(
        st.tuples(st.just("feed"), st.binary(min_size=0, max_size=12)),
        st.sampled_from(
            [("pause",), ("resume",), ("read",), ("tick",), ("on_data",), ("on_readable",)]
        ),
        st.sampled_from([("pause_in_listener",), ("end",)]),
    ),
    max_size=25,
)


def _trace(fast: bool, ops: list[tuple[Any, ...]]) -> list[str]:
    log: list[str] = []
    source = _ReadingSource(fast, log)
    pause_next = False

    def on_data(chunk: bytes) -> None:
        nonlocal pause_next
        log.append(f"data {chunk!r}")
        if pause_next:
            pause_next = False
            source.pause()

    source.on("end", lambda: log.append("end"))
    for op in ops:
        if op[0] == "feed":
            if not source.readableEnded and not source._readableState.ended:
                log.append(f"feed -> {source.feed(op[1])}")
        elif op[0] == "pause":
            source.pause()
        elif op[0] == "resume":
            source.resume()
        elif op[0] == "read":
            log.append(f"read -> {source.read()!r}")
        elif op[0] == "tick":
            drain_ticks()
        elif op[0] == "on_data":
            source.on("data", on_data)
        elif op[0] == "on_readable":
            source.on("readable", lambda: log.append("readable"))
        elif op[0] == "pause_in_listener":
            pause_next = True
        elif op[0] == "end" and not source._readableState.ended:
            source.push(None)
        state = source._readableState
        log.append(f"state flowing={state.flowing} length={state.length} ended={state.ended}")
    drain_ticks()
    log.append(f"final length={source.readableLength} flowing={source.readableFlowing}")
    return log


@given(_OPS)
def test_push_reading_is_push_for_a_reading_source(ops: list[tuple[Any, ...]]) -> None:
    # Apart from the idle _read() calls it saves, _push_reading must be push().
    def without_idle_reads(log: list[str]) -> list[str]:
        return [line for line in log if line != "_read"]

    assert without_idle_reads(_trace(True, ops)) == without_idle_reads(_trace(False, ops))


def test_push_reading_skips_only_the_idle_read() -> None:
    for fast, reads_expected in ((False, 3), (True, 1)):
        log: list[str] = []
        source = _ReadingSource(fast, log)
        got: list[bytes] = []
        source.on("data", got.append)
        drain_ticks()  # flowing starts: the first _read
        for chunk in (b"a", b"b"):
            assert source.feed(chunk) is True
            drain_ticks()
        assert got == [b"a", b"b"]
        assert log.count("_read") == reads_expected
        assert source._readableState.reading is True

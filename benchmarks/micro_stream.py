"""Micro-benchmark of twnet's stream hot paths, with Twisted's own per-chunk cost beside them.

    python -m benchmarks.micro_stream [--number N]      (from the repository root)

Prints nanoseconds per operation (best of 5 runs of ``timeit``):

- ``push -> 'data'``: ``Duplex.push(chunk)`` in flowing mode reaching a ``'data'`` listener:
  the stream alone (ticks drained once per run), then as a socket does it, inside a Twisted
  callback wrapped by ``_runtime.entry`` (which drains the nextTick queue afterwards: here the
  ``maybeReadMore`` tick, i.e. ``read(0)`` and ``_read``);
- ``EventEmitter.emit`` with one listener, the cost under every ``'data'``;
- ``_push_reading``: the socket's push (no idle ``maybeReadMore`` tick), inside ``entry``;
- ``write -> _write``: ``Duplex.write(chunk)`` reaching a sink that completes synchronously,
  without a callback (no tick at all) and with one inside ``entry`` (a callback costs a tick,
  as in Node);
- the runtime's own cost of one ``next_tick`` + drain inside ``entry``;
- Twisted: ``Protocol.dataReceived`` called as a transport calls it, and
  ``StringTransport.write`` (``twisted.internet.testing``).
"""

from __future__ import annotations

import argparse
import timeit
from collections.abc import Callable

from twisted.internet.protocol import Protocol
from twisted.internet.testing import StringTransport

from twnet._events import EventEmitter
from twnet._runtime import drain_ticks, entry, next_tick
from twnet._stream import Completion, Duplex

CHUNK = b"x" * 1024


class Source(Duplex):
    def _read(self, size: int) -> None:
        pass

    def _write(self, chunk: bytes, encoding: str, callback: Completion) -> None:
        callback()


class Receiver(Protocol):
    def __init__(self) -> None:
        self.received = 0

    def dataReceived(self, data: bytes) -> None:
        self.received += len(data)


def flowing_source() -> tuple[Source, list[int]]:
    seen = [0]

    def on_data(chunk: bytes) -> None:
        seen[0] += len(chunk)

    source = Source()
    source.on("data", on_data)
    drain_ticks()  # the first _read, then flowing
    return source, seen


def cases() -> dict[str, Callable[[], object]]:
    source, _ = flowing_source()
    in_callback, _ = flowing_source()
    sink = Source()
    sink_cb = Source()
    receiver = Receiver()
    receiver.makeConnection(StringTransport())
    transport = StringTransport()

    def noop(error: BaseException | None = None) -> None:
        pass

    def transport_write() -> None:
        transport.write(CHUNK)
        transport.clear()

    emitter = EventEmitter()
    emitter.on("data", noop)
    reading, _ = flowing_source()

    return {
        "twnet EventEmitter.emit, one listener": lambda: emitter.emit("data", CHUNK),
        "twnet push -> 'data' (stream alone)": lambda: source.push(CHUNK),
        "twnet _push_reading -> 'data' in entry() (socket)": entry(
            lambda: reading._push_reading(CHUNK)
        ),
        "twnet push -> 'data' in entry() (+ its tick)": entry(lambda: in_callback.push(CHUNK)),
        "twnet write -> _write (no callback)": lambda: sink.write(CHUNK),
        "twnet write -> _write + callback in entry()": entry(lambda: sink_cb.write(CHUNK, noop)),
        "runtime: next_tick(noop) in entry()": entry(lambda: next_tick(noop)),
        "Twisted Protocol.dataReceived": lambda: receiver.dataReceived(CHUNK),
        "Twisted StringTransport.write (+ clear)": transport_write,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=100_000)
    args = parser.parse_args()
    for name, fn in cases().items():
        timer = timeit.Timer(fn)
        runs = []
        for _ in range(5):
            runs.append(timer.timeit(args.number) / args.number)
            drain_ticks()
        print(f"{name:50s} {min(runs) * 1e9:8.0f} ns")


if __name__ == "__main__":
    main()

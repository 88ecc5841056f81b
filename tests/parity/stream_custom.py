"""Custom streams: subclass and constructor-option forms of Readable, Writable, Transform with
Node's hooks; the order of hooks and events, back-pressure, _writev, _final."""

from _parity import log, set_timeout

import twnet as net
from twnet.stream import PassThrough, Readable, Transform, Writable


class Counter(Readable):
    def __init__(self, opts):
        super().__init__(opts)
        self.n = 0

    def _read(self, size):
        self.n += 1
        log("a", "_read", size, self.n)
        if self.n > 3:
            self.push(None)
        else:
            self.push(b"c%d" % self.n)


class Sink(Writable):
    def _write(self, chunk, encoding, callback):
        log("b", "_write", chunk, encoding)
        net.nextTick(callback)

    def _writev(self, chunks, callback):
        log("b", "_writev", ",".join(f"{c['chunk']}/{c['encoding']}" for c in chunks))
        net.nextTick(callback)

    def _final(self, callback):
        log("b", "_final")
        callback()

    def _destroy(self, err, callback):
        log("b", "_destroy", err)
        callback(err)


def main():
    a = Counter({"highWaterMark": 4})

    def transform(self, chunk, encoding, callback):
        log("t", "transform", chunk, encoding)
        callback(None, chunk.decode().upper())

    def flush(self, callback):
        log("t", "flush")
        self.push("!")
        callback()

    upper = Transform(transform=transform, flush=flush)
    b = Sink({"highWaterMark": 2})
    for ev in ["end", "close"]:
        a.on(ev, lambda ev=ev: log("a", ev))
    for ev in ["finish", "end", "close"]:
        upper.on(ev, lambda ev=ev: log("t", ev))
    for ev in ["finish", "close", "drain"]:
        b.on(ev, lambda ev=ev: log("b", ev))
    a.pipe(upper).pipe(b)

    # option forms and the write side's queueing into _writev
    holder = []

    def write(self, chunk, encoding, callback):
        log("w", "write", chunk, encoding, self is holder[0])
        set_timeout(1, callback)

    def writev(self, chunks, callback):
        log("w", "writev", len(chunks), "+".join(c["chunk"].decode() for c in chunks))
        set_timeout(1, callback)

    def final(self, callback):
        log("w", "final")
        callback()

    w = Writable(highWaterMark=3, write=write, writev=writev, final=final)
    holder.append(w)
    log("w", "write x", w.write("x"), w.writableLength)
    log("w", "write yy", w.write("yy"), w.writableLength)
    log("w", "write z", w.write(b"z", lambda err: log("w", "cb z", err)))
    w.on("drain", lambda: log("w", "drain"))
    w.end("end", lambda *_: log("w", "end cb"))
    w.on("finish", lambda: log("w", "finish"))
    w.on("close", lambda: log("w", "close"))

    # decodeStrings: False keeps strings with their encoding
    def write_d(self, chunk, encoding, callback):
        kind = "string" if isinstance(chunk, str) else "object"
        log("x", "write", kind, chunk, encoding)
        callback()

    d = Writable(decodeStrings=False, write=write_d)
    d.write("héllo", "latin1")
    d.write(b"buf")
    d.end()

    # a Readable with read() as an option, and a PassThrough
    def read(self, size):
        self.push("one")
        self.push(None)

    r = Readable(read=read)
    p = PassThrough()
    p.on("data", lambda chunk: log("y", "data", chunk))
    p.on("end", lambda: log("y", "end"))
    r.pipe(p)

    # errors from hooks
    def write_bad(self, chunk, enc, cb):
        cb(Exception("boom"))

    bad = Writable(write=write_bad)
    bad.on("error", lambda err: log("z", "error", str(err), bad.destroyed))
    bad.on("close", lambda: log("z", "close", bad.writableAborted))
    bad.write("q", lambda err: log("z", "write cb", err and str(err)))
    try:
        Transform().write("q")
    except Exception as err:
        log("z2", "thrown", err)
    r2 = Readable()
    r2.on("error", lambda err: log("z3", "error", err))
    r2.on("close", lambda: log("z3", "close"))
    r2.read()


net.run(main)

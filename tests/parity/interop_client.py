"""Interop half (not a parity pair): a client that sends 64 MiB, half-closes, and checksums
what it receives. See tests/test_parity.py."""

import hashlib
import sys

import twnet as net

MIB = 1024 * 1024
COUNT = 64
block = bytes((i * 7 + 1 + (i >> 10)) & 0xFF for i in range(MIB))


def pump(sock, count, done):
    n = 0

    def go():
        nonlocal n
        while n < count:
            n += 1
            if not sock.write(block):
                sock.once("drain", go)
                return
        done()

    go()


def main():
    sock = net.connect(int(sys.argv[1]), "127.0.0.1", lambda: pump(sock, COUNT, sock.end))
    digest = hashlib.sha256()
    received = 0

    def on_data(d):
        nonlocal received
        received += len(d)
        digest.update(d)

    def on_end():
        print(f"client received {received} {digest.hexdigest()}", flush=True)
        print("client end", flush=True)

    sock.on("data", on_data)
    sock.on("end", on_end)
    sock.on("finish", lambda: print("client finish", flush=True))
    sock.on("close", lambda had_error: print(f"client close {str(had_error).lower()}"))


net.run(main)

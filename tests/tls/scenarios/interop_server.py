"""Interop half (twnet): a TLS server taking one connection; it sends SIZE bytes (honouring
back-pressure), ends, and prints how much it received and its sha256."""

import hashlib
import os

import twnet
from twnet import tls

D = os.environ["TWNET_CERTS"]
SIZE = int(os.environ["TWNET_TLS_SIZE"])


def payload(seed):
    """byte i = (i * seed + (i >> 13)) & 0xFF, as the Node half makes it (8 KiB blocks)."""
    base = bytes((i * seed) & 0xFF for i in range(8192))
    blocks = [
        base.translate(bytes((j + k) & 0xFF for j in range(256))) for k in range(SIZE // 8192 + 1)
    ]
    return b"".join(blocks)[:SIZE]


def send(sock, data, done):
    offset = 0

    def more():
        nonlocal offset
        while offset < len(data):
            chunk = data[offset : offset + 65536]
            offset += len(chunk)
            if not sock.write(chunk):
                sock.once("drain", more)
                return
        done()

    more()


def read(name):
    with open(os.path.join(D, name), "rb") as fh:
        return fh.read()


def on_secure(sock):
    digest = hashlib.sha256()
    count = 0

    def on_data(data):
        nonlocal count
        count += len(data)
        digest.update(data)

    sock.on("data", on_data)
    sock.on("end", lambda: print(f"server received {count} {digest.hexdigest()}", flush=True))
    sock.on(
        "close", lambda h: (print(f"server close {str(h).lower()}", flush=True), server.close())
    )
    send(sock, payload(7), sock.end)


server = tls.createServer(
    {"key": read("server.key"), "cert": read("server.pem"), "allowHalfOpen": True}, on_secure
)
twnet.run(
    lambda: server.listen(
        0, "127.0.0.1", lambda: print(f"port {server.address()['port']}", flush=True)
    )
)

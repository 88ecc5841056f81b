"""Interop half (twnet): a TLS client that sends SIZE bytes (honouring back-pressure), ends,
and prints how much it received and its sha256."""

import hashlib
import os
import sys

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


def main():
    with open(os.path.join(D, "ca.pem"), "rb") as fh:
        ca = fh.read()
    data = payload(13)
    offset = 0

    def more():
        nonlocal offset
        while offset < len(data):
            chunk = data[offset : offset + 65536]
            offset += len(chunk)
            if not sock.write(chunk):
                sock.once("drain", more)
                return
        sock.end()

    options = {
        "port": int(sys.argv[1]),
        "host": "127.0.0.1",
        "servername": "localhost",
        "ca": ca,
        "allowHalfOpen": True,
    }
    sock = tls.connect(options, more)
    digest = hashlib.sha256()
    count = 0

    def on_data(chunk):
        nonlocal count
        count += len(chunk)
        digest.update(chunk)

    sock.on("data", on_data)
    sock.on("end", lambda: print(f"client received {count} {digest.hexdigest()}", flush=True))
    sock.on("error", lambda e: print(f"client error {e.code}", flush=True))
    sock.on("close", lambda h: print(f"client close {str(h).lower()}", flush=True))


twnet.run(main)

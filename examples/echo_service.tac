"""A twnet echo server as a twistd application: ``twistd -n -y examples/echo_service.tac``.

SIGTERM (or Ctrl-C) stops accepting at once, lets open connections finish for up to
``TWNET_GRACE_MS`` milliseconds (default 5000), then closes the rest; a second SIGTERM closes
them at once. ``TWNET_PORT`` chooses the port (default 8124; 0 picks a free one, logged).
Set ``TWNET_TLS_CERT`` and ``TWNET_TLS_KEY`` (PEM files) to serve TLS with twnet.tls.
"""

import os

from twisted.application import service

import twnet
from twnet.service import NetServerService


def echo(sock):
    sock.on("error", lambda err: None)  # a client vanishing is no error of the server's
    sock.pipe(sock)


cert, key = os.environ.get("TWNET_TLS_CERT"), os.environ.get("TWNET_TLS_KEY")
if cert and key:
    from twnet import tls

    with open(cert, "rb") as c, open(key, "rb") as k:
        server = tls.createServer({"cert": c.read(), "key": k.read()}, echo)
else:
    server = twnet.createServer(echo)

application = service.Application("twnet echo")
NetServerService(
    server,
    int(os.environ.get("TWNET_PORT", "8124")),
    "127.0.0.1",
    gracePeriod=float(os.environ.get("TWNET_GRACE_MS", "5000")),
).setServiceParent(application)

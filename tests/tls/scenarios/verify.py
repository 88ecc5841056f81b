"""Every verification outcome of twnet.tls, one case after another: the server's and the
client's events, printed once both sockets closed. Twin: verify.js (Node 24)."""

import os
import sys

import twnet
from twnet import tls

D = os.environ["TWNET_CERTS"]


def f(name):
    with open(os.path.join(D, name), "rb") as fh:
        return fh.read()


def js(value):
    """A value as JavaScript's template string prints it."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


SERVER = {"key": f("server.key"), "cert": f("server.pem")}
CA = {"ca": f("ca.pem"), "servername": "localhost"}
REQUIRE = {**SERVER, "ca": f("ca.pem"), "requestCert": True}
CASES = [
    ("ok", SERVER, CA),
    ("ip_no_servername", SERVER, {"ca": f("ca.pem")}),
    ("self_signed", {"key": f("selfsigned.key"), "cert": f("selfsigned.pem")}, CA),
    ("unknown_ca", SERVER, {"ca": f("other-ca.pem"), "servername": "localhost"}),
    ("no_ca", SERVER, {"servername": "localhost"}),
    ("root_in_chain", {"key": f("server.key"), "cert": f("chain.pem")},
     {"ca": f("other-ca.pem"), "servername": "localhost"}),
    ("wrong_name", {"key": f("wrongname.key"), "cert": f("wrongname.pem")}, CA),
    ("expired", {"key": f("expired.key"), "cert": f("expired.pem")}, CA),
    ("unauthorized_allowed", {"key": f("selfsigned.key"), "cert": f("selfsigned.pem")},
     {**CA, "rejectUnauthorized": False}),
    ("client_cert", REQUIRE, {**CA, "key": f("client.key"), "cert": f("client.pem")}),
    ("client_cert_missing", REQUIRE, CA),
    ("client_cert_unknown", REQUIRE,
     {**CA, "key": f("otherclient.key"), "cert": f("otherclient.pem")}),
    ("client_cert_optional", {**REQUIRE, "rejectUnauthorized": False}, CA),
    ("client_cert_optional_unknown", {**REQUIRE, "rejectUnauthorized": False},
     {**CA, "key": f("otherclient.key"), "cert": f("otherclient.pem")}),
    ("alpn", {**SERVER, "ALPNProtocols": ["http/1.1", "x"]}, {**CA, "ALPNProtocols": ["h2", "x"]}),
    ("alpn_none", {**SERVER, "ALPNProtocols": ["http/1.1"]}, {**CA, "ALPNProtocols": ["h2"]}),
    ("tls12", {**SERVER, "maxVersion": "TLSv1.2"}, CA),
    ("version_mismatch", {**SERVER, "minVersion": "TLSv1.3"}, {**CA, "maxVersion": "TLSv1.2"}),
]  # fmt: skip


def msg(e):
    return "" if e.code.startswith("ERR_SSL_") else f" {e}"


def cn(cert):
    return js((cert.get("subject") or {}).get("CN")) if cert.get("subject") else "undefined"


def run_case(case, done):
    name, sopts, copts = case
    S, C = [], []
    state = {"open": 2}

    def finish(*_):
        state["open"] -= 1
        if state["open"] == 0:
            server.close()
            print(f"== {name}")
            for line in S:
                print("server " + line)
            for line in C:
                print("client " + line)
            sys.stdout.flush()
            done()

    def on_secure(s):
        S.append(
            f"secureConnection authorized={js(s.authorized)} "
            f"authorizationError={js(s.authorizationError)} servername={js(s.servername)} "
            f"alpn={js(s.alpnProtocol)} protocol={s.getProtocol()} "
            f"peerCN={cn(s.getPeerCertificate())}"
        )
        s.on("data", lambda d: S.append(f"data {d.decode()}"))
        s.on("end", lambda: (S.append("end"), s.end("bye")))
        s.on("error", lambda e: S.append(f"error {e.code}{msg(e)}"))
        s.on("close", lambda h: (S.append(f"close {js(h)}"), finish()))

    server = tls.createServer(sopts, on_secure)

    def on_client_error(e, s):
        S.append(f"tlsClientError {e.code}{msg(e)} {type(s).__name__}")
        if s.destroyed:
            finish()
        else:
            s.on("close", finish)

    server.on("tlsClientError", on_client_error)

    def listening():
        c = tls.connect({"port": server.address()["port"], "host": "127.0.0.1", **copts})
        c.on("connect", lambda: C.append("connect"))

        def secure():
            C.append(
                f"secureConnect authorized={js(c.authorized)} "
                f"authorizationError={js(c.authorizationError)} alpn={js(c.alpnProtocol)} "
                f"protocol={c.getProtocol()} encrypted={js(c.encrypted)} "
                f"peerCN={cn(c.getPeerCertificate())}"
            )
            c.end("hello")

        c.on("secureConnect", secure)
        c.on("data", lambda d: C.append(f"data {d.decode()}"))
        c.on("end", lambda: C.append("end"))
        c.on("error", lambda e: C.append(f"error {e.code}{msg(e)}"))
        c.on("close", lambda h: (C.append(f"close {js(h)}"), finish()))

    server.listen(0, "127.0.0.1", listening)


def main():
    cases = iter(CASES)

    def step():
        case = next(cases, None)
        if case is not None:
            run_case(case, step)

    step()


twnet.run(main)

"""A TLS echo server and client with twnet.tls. It makes a throw-away CA and a certificate
for localhost (with ``cryptography``, which pyOpenSSL installs), serves TLS on a free port,
connects with the CA as ``ca``, sends a line, prints the echo and what the client learnt
about the connection, and stops."""

import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

import twnet
from twnet import tls


def certificate(name, key, issuer=None, issuer_key=None, ca=False):
    now = datetime.datetime.now(datetime.timezone.utc)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False
        )
    return builder.sign(issuer_key or key, hashes.SHA256())


def pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


ca_key, server_key = (
    ec.generate_private_key(ec.SECP256R1()),
    ec.generate_private_key(ec.SECP256R1()),
)
ca = certificate("example CA", ca_key, ca=True)
server_cert = certificate("localhost", server_key, ca, ca_key)
key_pem = server_key.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
)


def on_secure_connection(sock):
    sock.pipe(sock)  # echo


server = tls.createServer({"key": key_pem, "cert": pem(server_cert)}, on_secure_connection)


def connect():
    port = server.address()["port"]

    def secure():
        print("authorized:", sock.authorized, "protocol:", sock.getProtocol())
        print("server certificate:", sock.getPeerCertificate()["subject"]["CN"])
        sock.end("hello over TLS\n")

    sock = tls.connect(port, "localhost", {"ca": pem(ca)}, secure)
    sock.setEncoding("utf8")
    sock.on("data", lambda text: print("echo:", text.strip()))
    sock.on("end", server.close)


twnet.run(lambda: server.listen(0, "127.0.0.1", connect))

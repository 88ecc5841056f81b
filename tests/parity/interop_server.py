"""Interop half (not a parity pair): a server that sends 64 MiB (the last MiB only after the
client half-closed) and checksums what it receives. See tests/test_parity.py."""

import hashlib

import twnet as net

MIB = 1024 * 1024
COUNT = 64
block = bytes((i * 7 + 2 + (i >> 10)) & 0xFF for i in range(MIB))


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
    def on_connection(sock):
        server.close()
        digest = hashlib.sha256()
        state = {"received": 0, "sent_all_but_one": False, "ended": False}

        def finish_sending():
            pump(sock, 1, lambda: sock.end())

        def on_data(d):
            state["received"] += len(d)
            digest.update(d)

        def on_end():
            print(f"server received {state['received']} {digest.hexdigest()}", flush=True)
            print("server end", flush=True)
            state["ended"] = True
            if state["sent_all_but_one"]:
                finish_sending()

        def sent():
            state["sent_all_but_one"] = True
            if state["ended"]:
                finish_sending()

        sock.on("data", on_data)
        sock.on("end", on_end)
        sock.on("finish", lambda: print("server finish", flush=True))
        sock.on("close", lambda had_error: print(f"server close {str(had_error).lower()}"))
        pump(sock, COUNT - 1, sent)

    server = net.createServer({"allowHalfOpen": True}, on_connection)
    server.listen(0, "127.0.0.1", lambda: print(f"port {server.address().port}", flush=True))


net.run(main)

"""``setEncoding`` on a socket, chunk by chunk, against Node 24: random multi-byte text (and,
for utf8, random bytes) cut at every byte boundary, into single bytes and at random cuts, is
pushed into a ``net.Socket`` in flowing mode with ``setEncoding(enc)`` for utf8, utf16le,
latin1, hex and base64; each ``'data'`` string must be Node 24's, in order.

``set_encoding_chunks.js`` runs every case in one Node 24 process. Strings are compared as
UTF-16 code units, as JavaScript holds them.
"""

from __future__ import annotations

import functools
import itertools
import random
from pathlib import Path

import pytest

import twnet as net
from tests._node import find_node, run_node_json
from twnet import _runtime

SCRIPT = Path(__file__).with_name("set_encoding_chunks.js")
ENCODINGS = ["utf8", "utf16le", "latin1", "hex", "base64"]
TEXTS_PER_ENCODING = 12

# Characters of 1, 2, 3 and 4 UTF-8 bytes (1 or 2 UTF-16 code units).
ALPHABET = "aZ9 \n~" + "éßøЖשׂع" + "€✓あ中한\u2028\ufffd" + "😀𝄞𐍈🇫"


def texts(rng: random.Random) -> list[str]:
    return [
        "".join(rng.choice(ALPHABET) for _ in range(rng.randint(4, 14)))
        for _ in range(TEXTS_PER_ENCODING)
    ]


def wire_bytes(encoding: str, rng: random.Random) -> list[bytes]:
    """What a peer would send for *encoding*: text in that encoding, or any bytes."""
    if encoding == "utf8":
        data = [t.encode() for t in texts(rng)]
        # Invalid sequences too: truncated, overlong, stray continuation bytes.
        data += [
            bytes(
                rng.choice(b"\x41\x80\xbf\xc2\xe2\x82\xac\xf0\x9f\xed\xa0\xff")
                for _ in range(rng.randint(4, 16))
            )
            for _ in range(4)
        ]
        return data
    if encoding == "utf16le":
        return [t.encode("utf-16-le") for t in texts(rng)]
    return [
        bytes(rng.randrange(256) for _ in range(rng.randint(4, 40)))
        for _ in range(TEXTS_PER_ENCODING)
    ]


def cuts(data: bytes, rng: random.Random) -> list[list[bytes]]:
    """*data* cut in two at every byte boundary, into single bytes, and at random cuts."""
    out = [[data[:i], data[i:]] for i in range(1, len(data))]
    out.append([data[i : i + 1] for i in range(len(data))])
    for _ in range(3):
        points = sorted(rng.sample(range(1, len(data)), min(3, len(data) - 1)))
        bounds = [0, *points, len(data)]
        out.append([data[a:b] for a, b in itertools.pairwise(bounds)])
    return out


@functools.cache
def all_cases() -> list[tuple[str, list[str]]]:
    rng = random.Random(11)
    return [
        (encoding, [chunk.hex() for chunk in chunks])
        for encoding in ENCODINGS
        for data in wire_bytes(encoding, rng)
        for chunks in cuts(data, rng)
    ]


@functools.cache
def node_results() -> list[list[str]]:
    try:
        node = find_node((24, 0, 0))
    except RuntimeError as e:
        pytest.skip(str(e))
    if node is None:
        pytest.skip("Node 24 not found (tests/_node.py)")
    results: list[list[str]] = run_node_json(node, SCRIPT.read_text(), all_cases(), timeout=120)
    return results


def units(text: str) -> str:
    """*text* as UTF-16 code units in hex, as set_encoding_chunks.js prints a JS string."""
    return text.encode("utf-16-be", "surrogatepass").hex()


def twnet_data(encoding: str, chunks: list[str]) -> list[str]:
    """The twin of ``runCase`` in set_encoding_chunks.js."""
    sock = net.Socket()
    sock.setEncoding(encoding)
    seen: list[str] = []
    sock.on("data", lambda s: seen.append(units(s)))
    sock.on("error", lambda _: None)
    _runtime.drain_ticks()  # flowing from now on
    for chunk in chunks:
        sock.push(bytes.fromhex(chunk))
    sock.push(None)
    _runtime.drain_ticks()
    sock.destroy()
    _runtime.drain_ticks()
    return seen


def node_cuts_in_twnet_terms(encoding: str, strings: list[str]) -> list[str]:
    """Node's 'data' strings, with the one documented difference applied (see
    ``twnet._encoding``): where Node ends a utf16le string between the two halves of a
    surrogate pair, twnet holds the high half back and sends it with the low one."""
    if encoding != "utf16le":
        return strings
    out: list[str] = []
    carry = ""
    for s in strings:
        s = carry + s
        carry = ""
        if s and 0xD800 <= int(s[-4:], 16) <= 0xDBFF:
            s, carry = s[:-4], s[-4:]
        if s:
            out.append(s)
    if carry:
        out.append(carry)
    return out


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_set_encoding_chunk_by_chunk_like_node(encoding: str) -> None:
    results = node_results()
    checked = 0
    for (case_encoding, chunks), node_strings in zip(all_cases(), results, strict=True):
        if case_encoding != encoding:
            continue
        got = twnet_data(encoding, chunks)
        assert got == node_cuts_in_twnet_terms(encoding, node_strings), (encoding, chunks)
        checked += 1
    assert checked > 100


def test_the_cases_cover_every_kind_of_character() -> None:
    """The random texts hold characters of every UTF-8 length, so that every kind of split
    (inside a 2-, 3- and 4-byte sequence, between surrogates) is exercised."""
    lengths: set[int] = set()
    for encoding, chunks in all_cases():
        if encoding == "utf16le":
            text = bytes.fromhex("".join(chunks)).decode("utf-16-le")
            lengths.update(len(ch.encode()) for ch in text)
    assert lengths == {1, 2, 3, 4}

"""Node's string encodings: their names, ``Buffer.from(string, enc)``, ``buf.toString(enc)``
and the incremental ``StringDecoder`` behind ``readable.setEncoding()``.

Node accepts the names ``utf8`` / ``utf-8``, ``utf16le`` / ``utf-16le`` / ``ucs2`` / ``ucs-2``,
``latin1`` / ``binary``, ``ascii``, ``hex``, ``base64`` and ``base64url``, in any letter case.
:func:`normalize_encoding` maps each to its canonical spelling (the first of each group), which
is what :func:`encode`, :func:`decode` and :class:`StringDecoder` take.

Conversions follow Node, not Python's codecs of the same names:

- ``utf8`` encoding turns a lone surrogate into U+FFFD (as a JavaScript string would), decoding
  replaces each maximal invalid subsequence by U+FFFD (V8 and Python agree on this);
- ``latin1`` and ``ascii`` encoding keep the low byte of each UTF-16 code unit; ``ascii``
  decoding clears the high bit of each byte;
- ``hex`` decoding stops at the first pair that is not hexadecimal;
- ``base64`` decoding accepts both alphabets, skips characters outside them, stops at the first
  ``=``, and drops a lone trailing sextet;
- both read only the low byte of each UTF-16 code unit (``'Ŋ'``, U+014A, counts as ``'J'``);
- ``utf16le`` decoding keeps lone surrogates (Python strings can hold them) and ignores an odd
  trailing byte. ``StringDecoder`` holds back a surrogate pair split at an odd byte until it is
  whole, where Node emits its two halves in two strings (JavaScript's concatenation pairs them
  again, Python's does not); the text is the same, its cut between chunks differs.

One difference remains: a JavaScript string counts UTF-16 code units, a Python ``str`` counts
code points, so ``len()`` of a string holding characters beyond U+FFFF is smaller than Node's
``length``.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from typing import Final

from twnet._errors import make_error

__all__ = [
    "StringDecoder",
    "decode",
    "encode",
    "is_encoding",
    "normalize_encoding",
]

_CANONICAL: Final[dict[str, str]] = {
    "utf8": "utf8",
    "utf-8": "utf8",
    "utf16le": "utf16le",
    "utf-16le": "utf16le",
    "ucs2": "utf16le",
    "ucs-2": "utf16le",
    "latin1": "latin1",
    "binary": "latin1",
    "ascii": "ascii",
    "hex": "hex",
    "base64": "base64",
    "base64url": "base64url",
}


def normalize_encoding(encoding: object) -> str | None:
    """Node's ``normalizeEncoding``: the canonical name, ``'utf8'`` for None or ``''``, and
    None for a name Node does not know."""
    if encoding is None or encoding == "":
        return "utf8"
    if not isinstance(encoding, str):
        return None
    found = _CANONICAL.get(encoding)
    return found if found is not None else _CANONICAL.get(encoding.lower())


def is_encoding(encoding: object) -> bool:
    """Node's ``Buffer.isEncoding``: a non-empty string naming an encoding Node knows."""
    return isinstance(encoding, str) and encoding != "" and normalize_encoding(encoding) is not None


def canonical_encoding(encoding: object) -> str:
    """The canonical name of *encoding*; raises ERR_UNKNOWN_ENCODING (a TypeError) as Node
    does for a name it does not know."""
    found = normalize_encoding(encoding)
    if found is None:
        raise make_error("ERR_UNKNOWN_ENCODING", encoding)
    return found


# -- string -> bytes ------------------------------------------------------------------------


def _js_utf8_errors(error: UnicodeError) -> tuple[str | bytes, int]:
    # Surrogates: a valid pair (which a Python str may hold as two code points) becomes its
    # character, every lone one U+FFFD, as when V8 encodes a JavaScript string. (The UTF-8
    # encoder takes only ASCII text back from a handler, hence bytes.)
    if not isinstance(error, UnicodeEncodeError):
        raise error
    units = error.object[error.start : error.end].encode("utf-16-le", "surrogatepass")
    return units.decode("utf-16-le", "replace").encode("utf-8"), error.end


codecs.register_error("twnet.js-utf8", _js_utf8_errors)

_BASE64_JUNK: Final = re.compile(r"[^A-Za-z0-9+/]+")
_BASE64_URL_TO_STD: Final = str.maketrans("-_", "+/")
_HEX_PAIRS: Final = re.compile(r"(?:[0-9A-Fa-f]{2})*")


def _low_bytes(text: str) -> bytes:
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-16-le", "surrogatepass")[0::2]


def _one_byte_text(text: str) -> str:
    # Node's hex and base64 parsers read the low byte of each UTF-16 code unit.
    return text if text.isascii() else _low_bytes(text).decode("latin-1")


def _from_base64(text: str) -> bytes:
    text = _BASE64_JUNK.sub("", text.split("=", 1)[0].translate(_BASE64_URL_TO_STD))
    extra = len(text) % 4
    if extra == 1:
        text = text[:-1]
    elif extra:
        text += "=" * (4 - extra)
    return binascii.a2b_base64(text)


def encode(text: str, encoding: str = "utf8") -> bytes:
    """Node's ``Buffer.from(text, encoding)`` for a canonical *encoding* name."""
    if encoding == "utf8":
        return text.encode("utf-8", "twnet.js-utf8")
    if encoding == "utf16le":
        return text.encode("utf-16-le", "surrogatepass")
    if encoding in ("latin1", "ascii"):
        return _low_bytes(text)
    if encoding == "hex":
        match = _HEX_PAIRS.match(_one_byte_text(text))
        return bytes.fromhex(match.group() if match else "")
    if encoding in ("base64", "base64url"):
        return _from_base64(_one_byte_text(text))
    raise make_error("ERR_UNKNOWN_ENCODING", encoding)


# -- bytes -> string ------------------------------------------------------------------------

_ASCII_TABLE: Final = bytes(i & 0x7F for i in range(256))
_HOLDING: Final = frozenset(("utf8", "utf16le", "base64", "base64url"))


def decode(data: bytes | bytearray | memoryview, encoding: str = "utf8") -> str:
    """Node's ``buf.toString(encoding)`` for a canonical *encoding* name."""
    if encoding == "utf8":
        return bytes(data).decode("utf-8", "replace")
    if encoding == "latin1":
        return bytes(data).decode("latin-1")
    if encoding == "ascii":
        return bytes(data).translate(_ASCII_TABLE).decode("ascii")
    if encoding == "utf16le":
        return bytes(data[: len(data) & ~1]).decode("utf-16-le", "surrogatepass")
    if encoding == "hex":
        return bytes(data).hex()
    if encoding == "base64":
        return base64.b64encode(data).decode("ascii")
    if encoding == "base64url":
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
    raise make_error("ERR_UNKNOWN_ENCODING", encoding)


class StringDecoder:
    """Node's ``string_decoder.StringDecoder``: decodes a series of byte chunks into strings
    without splitting a multi-byte character between them.

    As Node does, it holds back the bytes of an incomplete character at the end of a chunk
    (``utf8``, ``utf16le`` — including a high surrogate waiting for its pair — and the 1 or 2
    bytes past a multiple of 3 for ``base64`` / ``base64url``) and prepends them to the next
    chunk; ``end()`` flushes them (an incomplete UTF-8 character as U+FFFD, an odd UTF-16 byte
    dropped). ``latin1``, ``ascii`` and ``hex`` need no holding back.
    """

    __slots__ = ("_missing", "_pending", "encoding")

    encoding: str
    _pending: bytes
    _missing: int

    def __init__(self, encoding: str | None = None) -> None:
        self.encoding = canonical_encoding(encoding)
        self._pending = b""
        self._missing = 0

    def write(self, data: bytes | bytearray | memoryview) -> str:
        """Decode *data*, keeping an incomplete trailing character for the next call."""
        encoding = self.encoding
        if encoding not in _HOLDING:
            return decode(data, encoding)
        if not isinstance(data, bytes):
            data = bytes(data)
        head = b""
        if encoding == "utf16le":
            # Node decodes a completed code unit on its own, so a surrogate pair split at an
            # odd byte comes out as two lone surrogates in two strings, which JavaScript
            # concatenation pairs again but Python's does not: hold back on the joined bytes.
            data, self._pending, self._missing = self._pending + data, b"", 0
        elif self._missing:
            head, data = self._complete(data)
            if self._missing:
                return ""
        if data:
            held = self._hold_back(data)
            if held:
                self._pending = data[-held:]
                data = data[:-held]
        return decode(head, encoding) + decode(data, encoding) if head else decode(data, encoding)

    def end(self, data: bytes | bytearray | memoryview | None = None) -> str:
        """Decode *data* (if any), then flush what was held back; the decoder is then reset."""
        out = "" if data is None else self.write(data)
        pending = self._pending
        if not pending:
            return out
        if self.encoding == "utf16le" and len(pending) % 2:
            pending = pending[:-1]
        self._pending = b""
        self._missing = 0
        return out + decode(pending, self.encoding)

    def _complete(self, data: bytes) -> tuple[bytes, bytes]:
        """Feed the start of *data* to the held-back character: returns the character's bytes
        once complete (else b'') and the rest of *data*."""
        take = min(len(data), self._missing)
        missing = self._missing - take
        if self.encoding == "utf8":
            # A byte that is not a continuation byte ends the incomplete character early.
            for i in range(take):
                if data[i] & 0xC0 != 0x80:
                    take, missing = i, 0
                    break
        self._pending += data[:take]
        self._missing = missing
        if missing:
            return b"", b""
        head, self._pending = self._pending, b""
        return head, data[take:]

    def _hold_back(self, data: bytes) -> int:
        """How many trailing bytes of *data* start a character that is not complete yet;
        sets ``_missing`` to the number of bytes still to come."""
        encoding = self.encoding
        if encoding == "utf8":
            if data[-1] < 0x80:
                return 0
            length = len(data)
            count = 0
            for i in range(length - 1, -1, -1):
                count += 1
                byte = data[i]
                if byte & 0xC0 == 0x80:
                    if count >= 4 or i == 0:
                        return 0
                    continue
                if byte & 0xE0 == 0xC0:
                    need = 2
                elif byte & 0xF0 == 0xE0:
                    need = 3
                elif byte & 0xF8 == 0xF0:
                    need = 4
                else:
                    return 0
                if count >= need:
                    return 0
                self._missing = need - count
                return count
            return 0
        if encoding == "utf16le":
            # An odd byte, and a high surrogate before it waiting for its pair.
            held = len(data) % 2
            end = len(data) - held
            if end >= 2 and data[end - 1] & 0xFC == 0xD8:
                held += 2
            return held
        held = len(data) % 3  # base64, base64url
        self._missing = 3 - held if held else 0
        return held

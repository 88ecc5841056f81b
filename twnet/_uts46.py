"""Which non-ASCII host names Node 24's ``getaddrinfo`` refuses with ``EINVAL``.

Node converts a host name to ASCII with ada's UTS-46 ``to_ascii`` (the WHATWG URL rules)
before it asks the system, and fails the lookup with ``EINVAL`` when that conversion fails.
Only the non-ASCII code points are checked: an ASCII character that no DNS name may hold
(``'*'``, a space, a control character) passes, and the system then says ``ENOTFOUND``.
A label with a non-ASCII character fails when, after the UTS-46 mapping (non-transitional, no
STD3 rules): a character is disallowed or unassigned; the label is not NFC, starts with a
combining mark, or starts with ``xn--``; a joiner (U+200C/U+200D) breaks its context rule;
or the label breaks the bidi rule (symbols such as emoji are valid, as in UTS-46). A name
that maps to nothing at all (``'\\u200b'``) fails too.
The tables are those of the ``idna`` package (a dependency of Twisted, via hyperlink),
whose Unicode version may differ slightly from Node's ada.
"""

from __future__ import annotations

import unicodedata

import idna
from idna import core, idnadata
from idna.intranges import intranges_contain

__all__ = ["uts46_refuses"]

_CONTEXTJ = idnadata.codepoint_classes["CONTEXTJ"]


def _label_refused(label: str) -> bool:
    if label.isascii():
        return False
    if label[:4].lower() == "xn--" or unicodedata.normalize("NFC", label) != label:
        return True
    try:
        core.check_initial_combiner(label)
        for pos, char in enumerate(label):
            # every code point is valid after the mapping; only the joiners have a rule
            if intranges_contain(ord(char), _CONTEXTJ) and not core.valid_contextj(label, pos):
                return True
        core.check_bidi(label)
    except (idna.IDNAError, ValueError):
        return True
    return False


def uts46_refuses(host: str) -> bool:
    """True when Node's UTS-46 conversion of *host* (a str without lone surrogates) fails."""
    if host.isascii():
        return False
    try:
        mapped = idna.uts46_remap(host, std3_rules=False, transitional=False)
    except (idna.IDNAError, ValueError):
        return True
    if not mapped:
        return True
    return any(_label_refused(label) for label in mapped.split("."))

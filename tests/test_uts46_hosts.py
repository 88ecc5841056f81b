"""Host names Node 24's getaddrinfo refuses with EINVAL (its UTS-46 conversion to ASCII
fails) versus those it hands to the system (which says ENOTFOUND). Every expectation below
was checked with ``dns.lookup(name)`` under Node 24."""

from __future__ import annotations

import pytest

from twnet._dns import refused_name as _refused_name

EINVAL = [
    "\U000523a5*\U0005c1f0\x19",  # unassigned code points (the battery's case)
    "\u0378",  # unassigned
    "\U0010ffff",
    "\u2028",  # disallowed
    "a\u2028b",
    "\ufffd",
    "\u200b",  # maps to nothing at all
    "a\u200d",  # a joiner out of its context
    "a\u200c",
    "\u0300",  # a label starting with a combining mark
    "\u0301a",
    "\u0660\u0031",  # bidi rule
    "a\u0600",
    "xn--\u00e9",
    "\u2488",
    "\u0378.a..b",
]
ENOTFOUND = [
    "a\x19",  # ASCII is not checked: the system refuses it
    "\u00e9\x19",
    "\u00e9*",
    "\u00e9 x",
    "\u00e9_",
    "\u00e9-",
    "ab--\u00e9",
    "\u00df",
    "\u1e9e",
    "\uff21",
    "A\u0301",
    "\u00e9\u00ad",
    "\u200b.a",
    "\U0001f600",  # emoji are valid in UTS-46
    "\u0915\u094d\u200c",  # a joiner after a virama
    "\u0627\u0031",
    "a..b",
    "a" * 64,
]


@pytest.mark.parametrize("name", EINVAL, ids=ascii)
def test_names_node_refuses_with_einval(name: str) -> None:
    assert _refused_name(name) == "EINVAL"


@pytest.mark.parametrize("name", ENOTFOUND, ids=ascii)
def test_names_node_hands_to_the_system(name: str) -> None:
    assert _refused_name(name) in (None, "ENOTFOUND")

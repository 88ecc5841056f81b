"""twnet's isIP, isIPv4 and isIPv6 against Node's answers.

The table tests/isip_table.json was produced by running Node 24 (tests/tools/gen_isip_table.py).
Every row is checked against twnet; when a node (>= 20) is found by tests/_node.py's
find_node(), the table is re-run through Node to prove it hasn't drifted, and batches of
random strings are compared between twnet and Node directly.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import json
import random
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from twnet._isip import isIP, isIPv4, isIPv6

TESTS_DIR = Path(__file__).resolve().parent
TABLE_PATH = TESTS_DIR / "isip_table.json"


def _load_generator() -> ModuleType:
    path = TESTS_DIR / "tools" / "gen_isip_table.py"
    spec = importlib.util.spec_from_file_location("_gen_isip_table", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen = _load_generator()
find_node: Callable[[], str | None] = gen.find_node  # tests/_node.py's

TABLE: dict[str, Any] = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
CASES: list[dict[str, Any]] = TABLE["cases"]


def _answers(value: object) -> dict[str, Any]:
    return {"isIP": isIP(value), "isIPv4": isIPv4(value), "isIPv6": isIPv6(value)}


def _expected(case: dict[str, Any]) -> dict[str, Any]:
    return {k: case[k] for k in ("isIP", "isIPv4", "isIPv6")}


def _case_id(case: dict[str, Any]) -> str:
    text = json.dumps(case["input"])
    return text if len(text) <= 40 else text[:37] + "..."


@pytest.fixture(scope="module")
def node() -> str:
    path = find_node()
    if path is None:
        pytest.skip("no node >= 20 found (set TWNET_NODE, or see tests/_node.py)")
    return path


def test_table_is_big_and_from_node() -> None:
    assert len(CASES) >= 70
    assert TABLE["node"].startswith("v24."), "regenerate the table with Node 24"
    assert [c["input"] for c in CASES] == gen.INPUTS, "table out of date: rerun the generator"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_table_row(case: dict[str, Any]) -> None:
    assert _answers(gen.decode_input(case["input"])) == _expected(case)


def test_table_still_matches_node(node: str) -> None:
    _, results = gen.node_answers(node, [c["input"] for c in CASES])
    drifted = [
        (c["input"], _expected(c), r)
        for c, r in zip(CASES, results, strict=True)
        if _expected(c) != r
    ]
    assert not drifted, f"node {node} disagrees with the table: {drifted[:5]}"


ALPHABET = "0123456789abcdefABCDEF.:%"


def _random_strings(rng: random.Random, count: int) -> list[str]:
    return ["".join(rng.choices(ALPHABET, k=rng.randint(0, 14))) for _ in range(count)]


def _near_addresses(rng: random.Random, count: int) -> list[str]:
    """Strings close to addresses, so that both answers come up often."""

    def octet() -> str:
        return rng.choice(
            [str(rng.randint(0, 255)), str(rng.randint(0, 300)), "0" + str(rng.randint(0, 99))]
        )

    def group() -> str:
        return "".join(rng.choices("0123456789abcdefABCDEFg", k=rng.choice([1, 2, 3, 4, 4, 5])))

    out = []
    for _ in range(count):
        if rng.random() < 0.3:
            s = ".".join(octet() for _ in range(rng.choice([3, 4, 4, 4, 5])))
        else:
            parts = [group() for _ in range(rng.randint(0, 8))]
            if parts and rng.random() < 0.7:
                parts.insert(rng.randint(0, len(parts)), "")
                if rng.random() < 0.1:
                    parts.insert(rng.randint(0, len(parts)), "")
            if rng.random() < 0.25:
                parts.append(".".join(octet() for _ in range(4)))
            s = ":".join(parts)
            s = {"": "::", ":": "::"}.get(s, s)
            if s.startswith(":") and not s.startswith("::"):
                s = ":" + s
            if s.endswith(":") and not s.endswith("::"):
                s += ":"
            if rng.random() < 0.15:
                s += "%" + "".join(rng.choices("eth01-.:_%", k=rng.randint(0, 4)))
        out.append(s)
    return out


@pytest.mark.parametrize("seed", [0, 1])
def test_random_strings_match_node(node: str, seed: int) -> None:
    rng = random.Random(seed)
    inputs = _random_strings(rng, 300) + _near_addresses(rng, 300)
    _, results = gen.node_answers(node, inputs)
    ours = [_answers(s) for s in inputs]
    wrong = [(s, o, r) for s, o, r in zip(inputs, ours, results, strict=True) if o != r]
    assert not wrong, f"{len(wrong)} differ from node, e.g. {wrong[:5]}"
    # The near-address half must really exercise both kinds of address.
    kinds = {r["isIP"] for r in results[300:]}
    assert kinds == {0, 4, 6}


@given(st.text(alphabet=ALPHABET + " \n\t\u0661g", max_size=24))
def test_answers_are_consistent(s: str) -> None:
    n = isIP(s)
    assert n in (0, 4, 6)
    assert isIPv4(s) == (n == 4)
    assert isIPv6(s) == (n == 6)
    assert isIP(s.encode()) == n
    assert isIP([s]) == n


# Python-only inputs, beyond what the table can say.


def test_cyclic_lists_are_not_addresses() -> None:
    # Node: const a = []; a.push(a); net.isIP(a) === 0 (join turns the cycle into "").
    a: list[object] = []
    a.append(a)
    assert isIP(a) == 0
    b: list[object] = ["::1"]
    b.append(b)
    assert isIP(b) == 0


def test_str_subclass_is_tested_by_content() -> None:
    class Weird(str):
        def __str__(self) -> str:
            return "nope"

    assert isIP(Weird("::1")) == 6


def test_str_errors_propagate() -> None:
    class Broken:
        def __str__(self) -> str:
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        isIP(Broken())


def test_ipaddress_objects() -> None:
    assert isIP(ipaddress.IPv4Address("10.0.0.1")) == 4
    assert isIP(ipaddress.IPv6Address("fe80::1%eth0")) == 6
    assert isIP(ipaddress.IPv4Network("10.0.0.0/8")) == 0  # "10.0.0.0/8"

"""The bad-input battery: every public call, with values of every type a caller can pass,
compared with what Node 24 does with the same values.

For each call of :mod:`tests.badinput.calls`, hypothesis draws arguments (derandomized: the
same values on every run); the Node oracle (``oracle.js``, one process for the session) makes
the call and reports what it threw, or for a listen how it ended; twnet must do the same: both
accept, or both raise the same family (TypeError <-> TypeError, RangeError <-> ValueError)
with the same ``code`` and the same message (up to where it quotes the value, which twnet
quotes the Python way). Around every case twnet must also leave nothing behind: no hang, no
descriptor, no DelayedCall, no half-listening server, no socket left connecting.

Environment:

* ``TWNET_BADINPUT_EXAMPLES``: values per call (default 100);
* ``TWNET_BADINPUT_COLLECT=1``: record every difference instead of failing at the first, and
  run every call in full (the temporary xfail marks of ``known.PENDING`` are not applied), so
  that the figures count every value;
* ``TWNET_BADINPUT_SUMMARY=path``: write the run's figures (and its differences) as JSON;
  ``python -m tests.badinput.report path`` puts them in docs/reliability.md. The figures in
  the docs come from a run with both variables set.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest
import pytest_twisted
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests._node import find_node, node_version
from tests.badinput import harness
from tests.badinput.calls import CALLS, Call
from tests.badinput.known import KNOWN, PENDING, Known, find_known

NODE = find_node()
NODE_24 = NODE is not None and node_version(NODE)[0] >= 24
pytestmark = [
    pytest.mark.skipif(
        not NODE_24,
        reason="the bad-input battery compares with Node 24, which is not installed "
        "(./run-tests installs it; or set TWNET_NODE)",
    ),
    # Node warns the same way (process.emitWarning) for these values: expected here.
    pytest.mark.filterwarnings("ignore::twnet.TimeoutOverflowWarning"),
    pytest.mark.filterwarnings("ignore::twnet.TimeoutNegativeWarning"),
    pytest.mark.filterwarnings("ignore::twnet.TimeoutNaNWarning"),
    pytest.mark.filterwarnings("ignore::twnet.MaxListenersExceededWarning"),
]

EXAMPLES = int(os.environ.get("TWNET_BADINPUT_EXAMPLES", "100"))
COLLECT = os.environ.get("TWNET_BADINPUT_COLLECT") == "1"
SUMMARY = os.environ.get("TWNET_BADINPUT_SUMMARY")


class Tally:
    """The figures of a run, per call."""

    def __init__(self) -> None:
        self.tried: dict[str, int] = {}
        self.compared: dict[str, int] = {}
        self.differences: list[dict[str, Any]] = []
        self.node = ""

    def count(self, call: Call, compared: bool) -> None:
        self.tried[call.name] = self.tried.get(call.name, 0) + 1
        if compared:
            self.compared[call.name] = self.compared.get(call.name, 0) + 1

    def differ(self, call: Call, args: Any, kwargs: Any, what: str, known: Known | None) -> None:
        self.differences.append(
            {
                "call": call.name,
                "args": repr(args),
                "kwargs": repr(kwargs),
                "difference": what,
                "known": None if known is None else known.reason,
                "deliberate": bool(known and known.deliberate),
            }
        )

    def summary(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "examples_per_call": EXAMPLES,
            "calls": len(self.tried),
            "values_tried": sum(self.tried.values()),
            "values_compared": sum(self.compared.values()),
            "differences": len(self.differences),
            "deliberate": sum(1 for d in self.differences if d["deliberate"]),
            "per_call": {
                name: {"tried": n, "compared": self.compared.get(name, 0)}
                for name, n in sorted(self.tried.items())
            },
            "difference_list": self.differences,
        }


TALLY = Tally()
_BY_NAME = {c.name: c for c in CALLS}


@pytest.fixture(scope="module")
def oracle() -> Iterator[harness.Oracle]:
    assert NODE is not None
    node = harness.Oracle(NODE)
    TALLY.node = node.version
    try:
        yield node
    finally:
        node.close()
        if SUMMARY:
            with open(SUMMARY, "w", encoding="utf-8") as f:
                json.dump(TALLY.summary(), f, indent=1, ensure_ascii=True)


@pytest.fixture(scope="module")
def workdir() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="twnet-badinput-") as path:
        yield path


@pytest.fixture
def guard(workdir: str) -> Iterator[Any]:
    with harness.safe_twnet(workdir) as g:
        yield g


_warm: list[bool] = []


async def warm_up(guard: Any) -> None:
    """Run one plain case of each kind once, unchecked: what the process opens once and
    keeps (a descriptor on /dev/null the first listen opens, caches) is then in place before
    descriptors are counted."""
    if _warm:
        return
    _warm.append(True)
    for name, args in [
        ("Server.listen()", ()),
        ("Server.listen(port, host)", (0, "localhost")),
        ("Server.listen(path)", ("warm-up.sock",)),
        ("net.connect(port, host)", (1, "127.0.0.1")),
        ("net.connect(port, host)", (1, "localhost")),
        ("connected Socket.write(data, encoding, cb)", (b"x", None, None)),
    ]:
        await harness.run_twnet(_BY_NAME[name], args, {}, guard)


async def run_case(
    call: Call, args: tuple[Any, ...], kwargs: dict[str, Any], oracle: harness.Oracle, guard: Any
) -> tuple[str | None, list[str]]:
    """Run one case on both sides: (the difference or None, twnet's problems)."""
    await warm_up(guard)
    nodes = oracle.ask(harness.node_case(call, args, kwargs))
    outcome, problems = await harness.run_twnet(call, args, kwargs, guard)
    return harness.compare_variants(nodes, outcome, call.wait == "connect"), problems


_settings = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    # Shrinking costs a Node round trip per step: only when asked (TWNET_BADINPUT_SHRINK=1).
    phases=[Phase.explicit, Phase.generate]
    + ([Phase.shrink] if os.environ.get("TWNET_BADINPUT_SHRINK") == "1" else []),
    suppress_health_check=list(HealthCheck),
)


def _battery_test(call: Call) -> Any:
    """The hypothesis test of one call. (One function per call: pytest-twisted wraps a
    hypothesis test's inner function in place, so one @given function must not be
    parametrized.)"""

    @_settings
    @given(data=st.data())
    @pytest_twisted.ensureDeferred
    async def test(data: st.DataObject, oracle: harness.Oracle, guard: Any) -> None:
        args, kwargs = data.draw(call.arguments, label="arguments")
        difference, problems = await run_case(call, args, kwargs, oracle, guard)
        TALLY.count(call, compared=True)
        if problems:
            TALLY.differ(call, args, kwargs, f"PROBLEM {problems}", None)
            if not COLLECT:
                pytest.fail(f"{call.name}{args!r} {kwargs or ''} left a problem: {problems}")
        if difference is None:
            return
        known = find_known(call.name, args, kwargs)
        TALLY.differ(call, args, kwargs, difference, known)
        if known is None and not COLLECT:
            pytest.fail(f"DIFF {call.name}{args!r} {kwargs or ''}: {difference}")

    test.__doc__ = f"{call.name} with every kind of value, compared with Node 24."
    if call.name in PENDING and not COLLECT:
        return pytest.mark.xfail(strict=True, reason=f"being fixed: {PENDING[call.name]}")(test)
    return test


def _test_name(call: Call) -> str:
    slug = "".join(ch if ch.isalnum() else "_" for ch in call.name.replace("**", "kw_"))
    while "__" in slug:
        slug = slug.replace("__", "_")
    return "test_" + slug.strip("_")


assert set(PENDING) <= set(_BY_NAME), set(PENDING) - set(_BY_NAME)
for _call in CALLS:
    _name = _test_name(_call)
    assert _name not in globals(), _name
    globals()[_name] = _battery_test(_call)
    globals()[_name].__name__ = globals()[_name].__qualname__ = _name


@pytest.mark.parametrize(
    "entry",
    [
        pytest.param(
            k,
            marks=()
            if k.deliberate
            else pytest.mark.xfail(strict=True, reason=f"being fixed: {k.reason}"),
        )
        for k in KNOWN
    ],
    ids=[k.call for k in KNOWN],
)
@pytest_twisted.ensureDeferred
async def test_known_difference(entry: Known, oracle: harness.Oracle, guard: Any) -> None:
    """A deliberate difference still holds (it is documented); a difference being fixed is
    expected to fail here until the fix lands (strict xfail: then remove the entry)."""
    args, kwargs = entry.example
    assert entry.matches(args, kwargs), "the example must be one the entry covers"
    difference, problems = await run_case(_BY_NAME[entry.call], args, kwargs, oracle, guard)
    assert not problems
    if entry.deliberate:
        assert difference is not None, "documented as a deliberate difference, but none is left"
    else:
        assert difference is None, difference


#: Public callables the table leaves out, and why.
NOT_COVERED = {
    "twnet.run": "runs the reactor until nothing is left: not callable inside a test run",
    "twnet.timers.promises.setInterval": "an async iterator: its checks run at the first next()",
    "twnet.AddressInfo": "a dict that twnet returns, never made by a caller",
    "twnet.Stream": "the same class as Socket",
    "twnet.Timeout": "made by setTimeout/setInterval (not exported by Node)",
    "twnet.Immediate": "made by setImmediate (not exported by Node)",
    "twnet.AbortError": "an error class (Node does not export it)",
    "twnet.events.Disposable": "returned by addAbortListener, never made by a caller",
    "twnet.events.EventIterator": "returned by events.on, never made by a caller",
    "twnet.timers.Timeout": "made by setTimeout/setInterval (not exported by Node)",
    "twnet.timers.Immediate": "made by setImmediate (not exported by Node)",
    "Socket.from": "Duplex.from_ under its Node name, a Python keyword (getattr only)",
}
_ALIASES = ("setTimeout", "setInterval", "setImmediate", "clearTimeout", "clearInterval")


def test_every_public_call_is_covered() -> None:
    """Every public callable of twnet that takes an argument is in the table (or in
    NOT_COVERED with its reason): a new one added to twnet must be added here."""
    import inspect

    import twnet
    import twnet.events
    import twnet.stream
    import twnet.timers
    import twnet.timers.promises

    owners: dict[str, Any] = {
        "socket": twnet.Socket,
        "connected": twnet.Socket,
        "server": twnet.Server,
        "listening": twnet.Server,
        "emitter": twnet.EventEmitter,
        "timers": twnet.timers,
        "timers.promises": twnet.timers.promises,
        "AbortSignal": twnet.AbortSignal,
        "signal": twnet.AbortSignal,
        "controller": twnet.AbortController,
        "blocklist": twnet.BlockList,
        "BlockList": twnet.BlockList,
        "SocketAddress": twnet.SocketAddress,
        "net": twnet,
        "events": twnet.events,
        "process": twnet,
        "stream": twnet.stream,
        "stream.promises": twnet.stream.promises,
        "Readable": twnet.stream.Readable,
        "Duplex": twnet.stream.Duplex,
        "readable": twnet.stream.Readable,
        "writable": twnet.stream.Writable,
    }
    covered = set()
    covered_objects = set()  # the functions and classes themselves (for their aliases)
    for call in CALLS:
        owner = owners[call.receiver]
        method = call.method.removeprefix("new ")
        if method.startswith("stream."):
            owner, method = twnet.stream, method.removeprefix("stream.")
        covered.add(f"{owner.__name__}.{method}")
        covered_objects.add(id(getattr(owner, method, None)))

    def takes_arguments(f: Any) -> bool:
        try:
            parameters = inspect.signature(f).parameters.values()
        except (TypeError, ValueError):
            return True
        return any(
            p.name not in ("self", "cls") and p.kind is not p.KEYWORD_ONLY for p in parameters
        )

    missing = []
    for owner in set(owners.values()):
        names = getattr(owner, "__all__", None) or dir(owner)
        for name in names:
            f = getattr(owner, name, None)
            if name.startswith("_") or "_" in name or not callable(f):
                continue
            if isinstance(f, type) and issubclass(f, (BaseException, Warning)):
                continue
            inherited = (
                isinstance(owner, type)
                and owner is not twnet.EventEmitter
                and issubclass(owner, twnet.EventEmitter)
                and hasattr(twnet.EventEmitter, name)
            )
            full = f"{owner.__name__}.{name}"
            if inherited or full in covered or full in NOT_COVERED or id(f) in covered_objects:
                continue
            if getattr(twnet.Socket, name, None) is f and f"Socket.{name}" in covered:
                continue  # the very function tried on a Socket
            if owner is twnet and name in _ALIASES and f is getattr(twnet.timers, name):
                continue  # the same function as twnet.timers'
            if owner is twnet and name == "clearImmediate":
                continue
            if takes_arguments(f):
                missing.append(full)
    assert not missing, f"public calls missing from tests/badinput/calls.py: {sorted(missing)}"

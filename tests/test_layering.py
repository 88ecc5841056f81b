"""The layers of twnet, enforced: an AST walk over every module of the package.

From the bottom up (docs/architecture.rst tells what each layer is for):

A. **core** — Node's own logic in plain Python: names, addresses, errors, encodings,
   validation, the nextTick queue, EventEmitter, the stream state machines, the handle
   interfaces. It imports no Twisted (nor zope) and nothing above it.
B. **twisted** — the Twisted side: the runtime (reactor, liveness, ``run()``), timers,
   handles over Twisted transports, listening, dialling, DNS, failure translation. It
   imports the core and Twisted, never a facade: not even under ``TYPE_CHECKING`` (it types
   against the handle interfaces).
C. **facade** — Node's classes over the handles (``Socket``, ``Server``, connect
   orchestration): they import the layers below and no ``twisted.*``.
D. **face** — the public modules and tools (``twnet``, ``twnet.net``, ``twnet.stream``, the
   CLI, ``twnet.testing``): anything.

Every import counts — at module level, inside a function, under ``TYPE_CHECKING`` — and the
import graph has no cycle. A module that is in no layer fails the test: add it to
``LAYERS`` below (and say where it goes in docs/architecture.rst when it starts a new role).
While a refactor is under way, a known violation may stand in ``ALLOWED`` with its owner; an
entry that no longer happens fails the test, so the list only shrinks.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import twnet

PACKAGE = Path(twnet.__file__).parent

CORE, TWISTED, FACADE, FACE = 0, 1, 2, 3
LAYER_NAMES = {CORE: "core", TWISTED: "twisted", FACADE: "facade", FACE: "face"}

#: Each module's layer. A name ending in ``.*`` covers a package and everything in it.
LAYERS: dict[str, int] = {
    # A. the Node core
    "twnet._address": CORE,
    "twnet._blocklist": CORE,
    "twnet._callables": CORE,
    "twnet._encoding": CORE,
    "twnet._errors": CORE,
    "twnet._events": CORE,
    "twnet._handle": CORE,
    "twnet._isip": CORE,
    "twnet._jsvalues": CORE,
    "twnet._keepalive": CORE,
    "twnet._memory_handle": CORE,
    "twnet._socket_fields": CORE,
    "twnet._naming": CORE,
    "twnet._rejections": CORE,
    "twnet._signals": CORE,
    "twnet._socketaddress": CORE,
    "twnet._stream": CORE,
    "twnet._streams.*": CORE,
    "twnet._ticks": CORE,
    "twnet._tls_verify": CORE,
    "twnet._tos": CORE,
    "twnet._transform": CORE,
    "twnet._twisted_access": CORE,
    "twnet._uts46": CORE,
    "twnet._validators": CORE,
    # B. the Twisted side
    "twnet._abort": TWISTED,
    "twnet._awaitable": TWISTED,
    "twnet._clock": TWISTED,
    "twnet._dial": TWISTED,
    "twnet._dns": TWISTED,
    "twnet._duplexify": TWISTED,
    "twnet._eos": TWISTED,
    "twnet._event_iterator": TWISTED,
    "twnet._eventtarget": TWISTED,
    "twnet._failures": TWISTED,
    "twnet._fd": TWISTED,
    "twnet._from": TWISTED,
    "twnet._listen": TWISTED,
    "twnet._liveness": TWISTED,
    "twnet._once": TWISTED,
    "twnet._onread": TWISTED,
    "twnet._pipeline": TWISTED,
    "twnet._protocol": TWISTED,
    "twnet._readable_aio": TWISTED,
    "twnet._runtime": TWISTED,
    "twnet._stream_iter": TWISTED,
    "twnet._stream_utils": TWISTED,
    "twnet._tcp_handle": TWISTED,
    "twnet._timers": TWISTED,
    "twnet._tls_context": TWISTED,
    "twnet._tls_protocol": TWISTED,
    "twnet._transport": TWISTED,
    # C. the facades
    "twnet._aio": FACADE,
    "twnet._connect": FACADE,
    "twnet._requests": FACADE,
    "twnet._server": FACADE,
    "twnet._socket": FACADE,
    "twnet._socket_options": FACADE,
    "twnet._socket_state": FACADE,
    "twnet._socket_timeout": FACADE,
    # D. the face and the tools
    "twnet": FACE,
    "twnet.__main__": FACE,
    "twnet._cli": FACE,
    "twnet._gen_twins": FACE,
    "twnet.events": FACE,
    "twnet.net": FACE,
    "twnet.service": FACE,
    "twnet.stream.*": FACE,
    "twnet.testing": FACE,
    "twnet.timers.*": FACE,
    "twnet.tls": FACE,
}

#: Third-party packages the core must not import (it may use the standard library, and
#: pure libraries such as idna).
TWISTED_PACKAGES = {"twisted", "zope", "OpenSSL", "service_identity"}

#: Known violations while a refactor is under way: (importer, imported) -> who removes it.
#: Remove an entry in the commit that ends the violation (the suite fails on a stale one).
ALLOWED: dict[tuple[str, str], str] = {}

#: Known import cycles (as sorted module tuples) -> who breaks them.
ALLOWED_CYCLES: dict[tuple[str, ...], str] = {
    ("twnet._server", "twnet._socket"): "typing: Socket.server (a Server) for type checkers",
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def layer_of(name: str) -> int | None:
    if name in LAYERS:
        return LAYERS[name]
    parts = name.split(".")
    for n in range(len(parts), 0, -1):
        layer = LAYERS.get(".".join(parts[:n]) + ".*")
        if layer is not None:
            return layer
    return None


def _imports(tree: ast.AST, name: str, is_package: bool, known: set[str]) -> Iterator[str]:
    """Every module *name* imports, anywhere in it: twnet modules by their full name, others
    by their top-level package."""
    package = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name if alias.name in known else alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            if source.split(".")[0] != "twnet":
                yield source.split(".")[0]
                continue
            for alias in node.names:
                sub = f"{source}.{alias.name}"
                # ``from twnet import net`` imports the module twnet.net
                yield sub if sub in known else source


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    edges: dict[str, set[str]] = {}
    for name, path in found.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        edges[name] = {
            imported
            for imported in _imports(tree, name, path.name == "__init__.py", known)
            if imported != name
        }
    return edges


def violations() -> dict[tuple[str, str], str]:
    """(importer, imported) -> the rule it breaks."""
    found: dict[tuple[str, str], str] = {}
    for name, imported in graph().items():
        layer = layer_of(name)
        if layer is None:
            continue
        for other in imported:
            if other.startswith("twnet"):
                other_layer = layer_of(other)
                if other_layer is None:
                    continue
                if layer == CORE and other_layer != CORE:
                    found[name, other] = f"the core imports the {LAYER_NAMES[other_layer]} layer"
                elif layer == TWISTED and other_layer >= FACADE:
                    found[name, other] = f"the Twisted side imports the {LAYER_NAMES[other_layer]}"
                elif layer == FACADE and other_layer == FACE:
                    found[name, other] = "a facade imports the face"
            elif other in TWISTED_PACKAGES and layer in (CORE, FACADE):
                found[name, other] = f"the {LAYER_NAMES[layer]} imports {other}"
    return found


def cycles() -> list[tuple[str, ...]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    imports = graph()
    edges = {
        name: {other for other in found if other in imports} for name, found in imports.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[tuple[str, ...]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(tuple(sorted(component)))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_every_module_is_in_a_layer() -> None:
    missing = sorted(name for name in modules() if layer_of(name) is None)
    assert not missing, (
        f"{missing}: add each to LAYERS in tests/test_layering.py "
        "(core: no Twisted; twisted: no facade; facade: no twisted.*; face: the rest)"
    )


def test_layers_import_only_downwards() -> None:
    found = violations()
    new = {edge: rule for edge, rule in found.items() if edge not in ALLOWED}
    assert not new, "\n".join(f"{a} imports {b}: {rule}" for (a, b), rule in sorted(new.items()))


def test_the_allow_list_only_shrinks() -> None:
    found = violations()
    stale = sorted(edge for edge in ALLOWED if edge not in found)
    assert not stale, f"no longer violations, remove them from ALLOWED: {stale}"


def test_no_import_cycle() -> None:
    found = cycles()
    new = [cycle for cycle in found if cycle not in ALLOWED_CYCLES]
    assert not new, "import cycles (TYPE_CHECKING and function-level imports count):\n" + (
        "\n".join(" <-> ".join(cycle) for cycle in new)
    )
    stale = [cycle for cycle in ALLOWED_CYCLES if cycle not in found]
    assert not stale, f"no longer cycles, remove them from ALLOWED_CYCLES: {stale}"


# -- the walk itself ------------------------------------------------------------------------


def test_the_walk_sees_every_kind_of_import() -> None:
    source = """
from __future__ import annotations
import os.path
from typing import TYPE_CHECKING
from twnet import _errors, net
from . import _naming
from .stream import promises
from twnet._streams.state import Completion
if TYPE_CHECKING:
    from twisted.internet.defer import Deferred
def f():
    import zope.interface
    from twnet._socket import Socket
"""
    known = set(modules())
    found = set(_imports(ast.parse(source), "twnet._x", False, known))
    assert found == {
        "__future__",
        "os",
        "typing",
        "twnet._errors",
        "twnet.net",
        "twnet._naming",
        "twnet.stream.promises",
        "twnet._streams.state",
        "twisted",
        "zope",
        "twnet._socket",
    }


def test_the_checks_catch_what_they_are_for(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = {
        "twnet._naming": {"twisted"},  # core imports Twisted
        "twnet._errors": {"twnet._runtime"},  # core imports the Twisted side
        "twnet._runtime": {"twnet._socket"},  # Twisted side imports a facade
        "twnet._socket": {"twisted", "twnet._server"},  # facade imports Twisted
        "twnet._server": {"twnet._socket"},  # a cycle
        "twnet.net": {"twisted", "twnet._socket"},  # the face may
    }
    monkeypatch.setitem(globals(), "graph", lambda: fake)
    assert set(violations()) == {
        ("twnet._naming", "twisted"),
        ("twnet._errors", "twnet._runtime"),
        ("twnet._runtime", "twnet._socket"),
        ("twnet._socket", "twisted"),
    }
    assert cycles() == [("twnet._server", "twnet._socket")]

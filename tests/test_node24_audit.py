"""docs/node24.rst audits Node 24's ``net`` documentation against twnet; these tests hold
twnet to it: no option key is read without being listed there, every key listed as
implemented is read, and every public name of Node 24's ``net`` (and of its ``stream`` and
``events`` modules) exists in twnet or is listed as not provided."""

from __future__ import annotations

import ast
import json
import re
import subprocess

import pytest

import twnet
from tests._node import REPO_ROOT
from tests.test_parity import node24

PAGE = REPO_ROOT / "docs" / "node24.rst"
#: The modules of the ``net`` API (timers, EventTarget and the public stream and events
#: modules have their own Node documentation).
NET_MODULES = [
    "net.py",
    "_address.py",
    "_blocklist.py",
    "_connect.py",
    "_dial.py",
    "_dns.py",
    "_keepalive.py",
    "_listen.py",
    "_onread.py",
    "_requests.py",
    "_server.py",
    "_socket.py",
    "_socket_options.py",
    "_socketaddress.py",
    "_streams/state.py",
    "_streams/readable.py",
    "_streams/writable.py",
    "_streams/duplex.py",
    "_tos.py",
]
#: The variables twnet reads caller-given options from.
OPTION_HOLDERS = {"opts", "options", "socket_options", "given"}
_ROW = re.compile(r"^   \* - (.+)\n     - ``(\w+)``\n     - ([\w ]+)\n", re.M)
_NAME_ROW = re.compile(r"^   \* - (.+)\n     - (not provided|not in Node 24)\n", re.M)


def audited_options() -> dict[str, set[str]]:
    """Option key -> its statuses in the page's options table."""
    table = PAGE.read_text(encoding="utf-8").split("Classes, methods and properties")[0]
    found: dict[str, set[str]] = {}
    for _where, key, status in _ROW.findall(table):
        found.setdefault(key, set()).add(status.strip())
    return found


def option_keys_read() -> dict[str, set[str]]:
    """Every string key the ``net`` modules read from an options mapping: ``opts.get('key')``,
    ``options['key']``, ``'key' in options`` (file names by key)."""
    keys: dict[str, set[str]] = {}
    for path in [REPO_ROOT / "twnet" / name for name in NET_MODULES]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            holder: ast.expr | None = None
            key: object = None
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("get", "pop", "setdefault")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                holder, key = node.func.value, node.args[0].value
            elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
                holder, key = node.value, node.slice.value
            elif (
                isinstance(node, ast.Compare)
                and isinstance(node.left, ast.Constant)
                and isinstance(node.ops[0], (ast.In, ast.NotIn))
            ):
                holder, key = node.comparators[0], node.left.value
            if (
                isinstance(holder, ast.Name)
                and holder.id in OPTION_HOLDERS
                and isinstance(key, str)
            ):
                keys.setdefault(key, set()).add(path.name)
    return keys


def test_the_scan_finds_what_it_must() -> None:
    keys = option_keys_read()
    for key in ("allowHalfOpen", "blockList", "onread", "typeOfService", "readableAll", "port"):
        assert key in keys, key


def test_every_option_twnet_reads_is_audited() -> None:
    audited = audited_options()
    unknown = {
        key: sorted(files) for key, files in option_keys_read().items() if key not in audited
    }
    assert unknown == {}, "options twnet reads that docs/node24.rst does not list"


def test_every_status_is_one_the_page_defines() -> None:
    """A row says what twnet does today: no status outside the page's own list (a row left
    as "owned by other work" once that work landed would say nothing true)."""
    allowed = {"implemented", "twnet", "set by twnet", "not provided", "no effect"}
    odd = {key: st for key, st in audited_options().items() if st - allowed}
    assert odd == {}


def test_every_option_marked_implemented_is_read() -> None:
    read = option_keys_read()
    claimed = [
        key
        for key, statuses in audited_options().items()
        if statuses & {"implemented", "twnet", "set by twnet"} and key not in read
    ]
    assert claimed == [], "docs/node24.rst lists these as handled, but twnet never reads them"


_NODE_NAMES = r"""
const net = require('net');
const own = (o) => Object.getOwnPropertyNames(o).filter((n) => !n.startsWith('_')
  && !['constructor', 'length', 'name', 'prototype'].includes(n));
console.log(JSON.stringify({
  module: Object.keys(net).filter((n) => !n.startsWith('_')),
  Socket: own(net.Socket.prototype),
  Server: own(net.Server.prototype),
  BlockList: [...own(net.BlockList.prototype), ...own(net.BlockList)],
  SocketAddress: [...own(net.SocketAddress.prototype), ...own(net.SocketAddress)],
}));
"""


@pytest.mark.skipif(node24() is None, reason="needs Node 24 (see tests/test_parity.py)")
def test_every_public_name_of_node24_net_exists_or_is_audited() -> None:
    node = node24()
    assert node is not None
    names = json.loads(
        subprocess.run(
            [node, "-e", _NODE_NAMES], capture_output=True, text=True, check=True, timeout=60
        ).stdout
    )
    page = PAGE.read_text(encoding="utf-8").split("Classes, methods and properties")[1]
    not_provided = " ".join(name for name, _ in _NAME_ROW.findall(page))
    missing = []
    for where, listed in names.items():
        target = twnet if where == "module" else getattr(twnet, where)
        for name in listed:
            if not hasattr(target, name) and f"``net.{name}``" not in not_provided:
                missing.append(f"{where}.{name}")
    assert missing == [], "Node 24 has these; twnet neither has them nor lists them"


_STREAM_EVENTS_NAMES = r"""
const stream = require('stream');
const events = require('events');
const own = (o) => Object.getOwnPropertyNames(o).filter((n) => !n.startsWith('_')
  && !['constructor', 'length', 'name', 'prototype'].includes(n));
console.log(JSON.stringify({
  stream: Object.keys(stream).filter((n) => !n.startsWith('_')),
  'stream.promises': Object.keys(require('stream/promises')),
  Readable: [...own(stream.Readable.prototype), ...own(stream.Readable)],
  Writable: [...own(stream.Writable.prototype), ...own(stream.Writable)],
  Duplex: [...own(stream.Duplex.prototype), ...own(stream.Duplex)],
  Transform: [...own(stream.Transform.prototype), ...own(stream.Transform)],
  events: Object.keys(events).filter((n) => !n.startsWith('_')),
  EventEmitter: [...own(events.EventEmitter.prototype), ...own(events.EventEmitter)],
}));
"""


@pytest.mark.skipif(node24() is None, reason="needs Node 24 (see tests/test_parity.py)")
def test_every_public_name_of_node24_stream_and_events_exists_or_is_audited() -> None:
    import twnet.events
    import twnet.stream
    import twnet.stream.promises

    node = node24()
    assert node is not None
    names = json.loads(
        subprocess.run(
            [node, "-e", _STREAM_EVENTS_NAMES],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
    )
    page = PAGE.read_text(encoding="utf-8").split("The stream and events modules")[1]
    # a name cell may run over several lines
    rows = re.findall(r"^   \* - (.+?)\n     - (not provided|not in Node 24)\n", page, re.M | re.S)
    not_provided = " ".join(name for name, _ in rows)
    targets = {
        "stream": twnet.stream,
        "stream.promises": twnet.stream.promises,
        "events": twnet.events,
        "EventEmitter": twnet.EventEmitter,
    }
    missing, listed_but_present = [], []
    for where, listed in names.items():
        target = targets.get(where) or getattr(twnet.stream, where)
        for name in listed:
            audited = f"``{where}.{name}``" in not_provided
            if not hasattr(target, name) and not audited:
                missing.append(f"{where}.{name}")
            elif hasattr(target, name) and audited:
                listed_but_present.append(f"{where}.{name}")
    assert missing == [], "Node 24 has these; twnet neither has them nor lists them"
    assert listed_but_present == [], "docs/node24.rst lists these as not provided"

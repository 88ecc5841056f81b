"""The snake_case twins as type checkers see them (``twnet/_gen_twins.py``).

The run time makes the twins (``twnet/_naming.py``); each twinned class body and module ends
with a generated ``if TYPE_CHECKING:`` block saying the same to mypy and pyright. These tests
fail when a block is stale, and check what the generator writes.
"""

from __future__ import annotations

import ast
import inspect
import sys
import textwrap
from pathlib import Path

import pytest

import twnet
import twnet.events
import twnet.stream
import twnet.timers.promises
from twnet import _gen_twins, _naming
from twnet._gen_twins import MARKER, GenerationError, _Block, _class_block, _place, _strip_all
from twnet._socket_options import SocketOptions
from twnet._socket_state import SocketState


def test_every_generated_block_is_what_the_run_time_makes() -> None:
    stale = _gen_twins.check()
    assert stale == [], (
        "the generated snake_case twin blocks are stale in "
        f"{[str(path) for path in stale]}: run `python -m twnet._gen_twins --write`"
    )


def test_the_run_time_records_what_it_made() -> None:
    _gen_twins.import_everything()
    # (Socket's option and state methods are defined, and twinned, on its base classes.)
    assert _naming.made_twins[SocketOptions]["set_no_delay"] == "setNoDelay"
    assert _naming.made_twins[SocketState]["bytes_read"] == "bytesRead"
    assert twnet.Socket.set_no_delay is twnet.Socket.setNoDelay  # type: ignore[comparison-overlap]
    assert _naming.made_twins[twnet.Socket]["reset_and_destroy"] == "resetAndDestroy"
    assert _naming.made_twins[twnet.EventEmitter]["remove_listener"] == "removeListener"
    assert _naming.made_twins["twnet.net"]["create_server"] == "createServer"
    assert _naming.made_twins["twnet.timers.promises"]["set_interval"] == "setInterval"
    # only twnet's own classes are recorded, not a user's EventEmitter subclass
    user_class = type("UserEmitter", (twnet.EventEmitter,), {"sendIt": lambda self: None})
    assert user_class.send_it is user_class.sendIt  # type: ignore[attr-defined]
    assert user_class not in _naming.made_twins


def _generated_names(path: Path) -> dict[str | None, set[str]]:
    """``{class name or None for the module: names its generated block binds}``."""
    source = path.read_text()
    lines = source.splitlines()
    tree = ast.parse(source)
    found: dict[str | None, set[str]] = {}
    owners: list[tuple[str | None, list[ast.stmt]]] = [(None, tree.body)]
    owners += [(node.name, node.body) for node in tree.body if isinstance(node, ast.ClassDef)]
    for owner, body in owners:
        for node in body:
            if isinstance(node, ast.If) and MARKER in lines[node.lineno - 1]:
                names = found.setdefault(owner, set())
                for stmt in node.body:
                    target = stmt.targets[0] if isinstance(stmt, ast.Assign) else None
                    if isinstance(stmt, ast.AnnAssign):
                        target = stmt.target
                    if isinstance(target, ast.Name) and target.id != "__all__":
                        names.add(target.id)
    return found


@pytest.mark.parametrize(
    ("owner", "twins"),
    [
        (twnet.Socket, {"reset_and_destroy", "destroy_soon", "block_list"}),
        (SocketOptions, {"set_no_delay", "set_keep_alive", "set_type_of_service"}),
        (SocketState, {"bytes_read", "remote_address"}),
        (twnet.Server, {"get_connections", "max_connections", "allow_half_open"}),
        (twnet.EventEmitter, {"remove_listener", "default_max_listeners", "add_listener"}),
        (twnet.stream.Readable, {"readable_flowing", "is_paused"}),
        (twnet.BlockList, {"add_address", "is_block_list"}),
    ],
    ids=lambda value: getattr(value, "__name__", "twins"),
)
def test_class_blocks_name_the_runtime_twins(owner: type, twins: set[str]) -> None:
    generated = _generated_names(Path(inspect.getfile(owner)))[owner.__name__]
    assert twins <= generated
    for twin in generated:
        assert hasattr(owner, twin) or twin in getattr(owner, "__slots__", ())
        camel = _naming.made_twins[owner][twin]
        assert inspect.getattr_static(owner, twin) is inspect.getattr_static(owner, camel)


@pytest.mark.parametrize(
    "module", [twnet.net, twnet.timers, twnet.timers.promises, twnet.stream, twnet.events]
)
def test_module_blocks_name_the_runtime_twins(module: object) -> None:
    generated = _generated_names(Path(inspect.getfile(module)))[None]  # type: ignore[arg-type]
    made = _naming.made_twins[module.__name__]  # type: ignore[attr-defined]
    assert generated == set(made)
    for twin, camel in made.items():
        assert getattr(module, twin) is getattr(module, camel)


# -- what the generator writes -----------------------------------------------------------


_SOURCE = textwrap.dedent(
    '''\
    from __future__ import annotations

    from typing import Any


    class Thing:
        """A thing."""

        def __init__(self) -> None:
            self.peerName: str | None = None
            self.untyped = 1

        def setNoDelay(self) -> None:
            pass

        @property
        def bytesRead(self) -> int:
            return 0

        def set_written_by_hand(self) -> None:
            pass


    AFTER = 1
    '''
)


def _load(tmp_path: Path, source: str, monkeypatch: pytest.MonkeyPatch) -> type:
    """Class ``Thing`` of *source*, as a module in a file (the generator reads its source)."""
    path = tmp_path / "thing_module.py"
    path.write_text(source)
    module = type(sys)("thing_module")
    module.__file__ = str(path)
    monkeypatch.setitem(sys.modules, "thing_module", module)
    exec(compile(source, str(path), "exec"), module.__dict__)
    cls = module.__dict__["Thing"]
    assert isinstance(cls, type)
    return cls


def test_a_class_block_aliases_class_names_and_declares_instance_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cls = _load(tmp_path, _SOURCE, monkeypatch)
    twins = {"set_no_delay": "setNoDelay", "bytes_read": "bytesRead", "peer_name": "peerName"}
    block = _class_block(cls, twins)
    assert block.lines == [
        "bytes_read = bytesRead",
        "peer_name: str | None",
        "set_no_delay = setNoDelay",
    ]
    new = _place(_SOURCE, block)
    assert "from typing import TYPE_CHECKING, Any\n" in new
    assert (
        "            pass\n"
        "\n"
        f"        if TYPE_CHECKING:  {MARKER}\n"
        "            bytes_read = bytesRead\n"
        "            peer_name: str | None\n"
        "            set_no_delay = setNoDelay\n"
        "\n"
        "\n"
        "    AFTER = 1\n"
    ) in textwrap.indent(new, "    ")
    # placing it again changes nothing; a block no longer last moves to the end
    assert _place(new, block) == new
    moved = new.replace(
        "\n\nAFTER = 1", "\n    def later(self) -> None:\n        pass\n\n\nAFTER = 1"
    )
    again = _place(moved, block)
    assert again.index("def later") < again.index(MARKER)
    assert again.count(MARKER) == 1
    # a class that lost its twins loses its block
    assert _strip_all(new).replace("TYPE_CHECKING, ", "") == _SOURCE


def test_a_hand_written_twin_is_not_generated_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cls = _load(
        tmp_path, _SOURCE.replace("def set_written_by_hand", "def set_no_delay"), monkeypatch
    )
    block = _class_block(cls, {"set_no_delay": "setNoDelay"})
    assert block.lines == []


def test_an_instance_attribute_without_annotation_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _SOURCE.replace("self.untyped = 1", "self.isReady = 1")
    cls = _load(tmp_path, source, monkeypatch)
    with pytest.raises(GenerationError, match=r"Thing\.isReady has no value .* annotate it"):
        _class_block(cls, {"is_ready": "isReady"})


def test_a_module_without_a_typing_import_is_an_error() -> None:
    source = "from __future__ import annotations\n\nimport os\n\nfooBar = 1\n"
    with pytest.raises(GenerationError, match="add `from typing import TYPE_CHECKING`"):
        _place(source, _Block(Path("m.py"), None, ["foo_bar = fooBar"]))


def test_a_module_block_after_a_function_keeps_two_blank_lines() -> None:
    source = "from typing import Any\n\n\ndef fooBar() -> Any:\n    return 1\n"
    new = _place(source, _Block(Path("m.py"), None, ["foo_bar = fooBar"]))
    assert new.endswith(f"return 1\n\n\nif TYPE_CHECKING:  {MARKER}\n    foo_bar = fooBar\n")


def test_the_command_line_checks_and_names_the_fix(capsys: pytest.CaptureFixture[str]) -> None:
    assert _gen_twins.main([]) == 0
    assert _gen_twins.main(["--bogus"]) == 2
    assert "usage: python -m twnet._gen_twins [--write]" in capsys.readouterr().err

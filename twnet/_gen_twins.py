"""Writes the snake_case twins where type checkers see them.

At run time :func:`twnet._naming.add_snake_twins` and :func:`~twnet._naming.module_twins` make
every twin (``set_no_delay`` is ``setNoDelay``). A type checker does not run that code, so each
twinned class body and module ends with a block that this tool writes from what the run-time
mechanism made (``twnet._naming.made_twins``, filled as twnet is imported)::

    if TYPE_CHECKING:  # snake_case twins: python -m twnet._gen_twins --write
        set_no_delay = setNoDelay
        bytes_read = bytesRead

``python -m twnet._gen_twins`` checks that every block is what the run-time twins say (exit 1
naming the stale files), ``--write`` rewrites them. ``tests/typing/test_twins_stale.py`` runs
the check, so a new camelCase method without its block fails the suite.

An attribute that exists only on instances (a ``__slots__`` member or one set in
``__init__``) has no class-level value to alias: its twin is declared with the camelCase
attribute's annotation, which the tool reads from the class's source (``self.blockList:
BlockList | None = ...``).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from twnet import _naming

__all__ = ["check", "expected_sources", "main", "write"]

MARKER = "# snake_case twins: python -m twnet._gen_twins --write"
_COMMAND = "python -m twnet._gen_twins --write"
#: Modules not imported for the walk: the command line runs the CLI on import.
_SKIP = frozenset({"twnet.__main__"})


class GenerationError(Exception):
    """The source cannot carry a twin block as it is (the message says what to change)."""


def import_everything() -> list[ModuleType]:
    """Import every twnet module, so that every twin the run time makes has been made."""
    import twnet

    modules: list[ModuleType] = [twnet]
    for info in pkgutil.walk_packages(twnet.__path__, "twnet."):
        if info.name not in _SKIP:
            modules.append(importlib.import_module(info.name))
    return modules


@dataclass
class _Block:
    """One generated block: where it goes (a class body, or a module when ``qualname`` is
    None) and its lines without indentation."""

    path: Path
    qualname: str | None
    lines: list[str]


def _is_marked(node: ast.stmt, lines: list[str]) -> bool:
    return (
        isinstance(node, ast.If)
        and isinstance(node.test, ast.Name)
        and node.test.id == "TYPE_CHECKING"
        and MARKER in lines[node.lineno - 1]
    )


def _find_class(tree: ast.Module, qualname: str) -> ast.ClassDef:
    body: list[ast.stmt] = tree.body
    found: ast.ClassDef | None = None
    for part in qualname.split("."):
        found = next(
            (node for node in body if isinstance(node, ast.ClassDef) and node.name == part), None
        )
        if found is None:
            raise GenerationError(f"class {qualname} is not defined at the top of its module")
        body = found.body
    assert found is not None
    return found


def _names_defined(body: Iterable[ast.stmt], lines: list[str]) -> set[str]:
    """Names a class or module body binds itself, outside the generated block."""
    names: set[str] = set()
    for node in body:
        if _is_marked(node, lines):
            continue
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.value is not None
        ):
            names.add(node.target.id)
    return names


def _instance_annotation(cls_node: ast.ClassDef, name: str, source: str) -> str | None:
    """The annotation of *name* in the class body (``name: T``) or a method
    (``self.name: T = ...``), as written."""
    for node in ast.walk(cls_node):
        if not isinstance(node, ast.AnnAssign):
            continue
        target = node.target
        if (isinstance(target, ast.Name) and target.id == name) or (
            isinstance(target, ast.Attribute)
            and target.attr == name
            and isinstance(target.value, ast.Name)
            and target.value.id == "self"
        ):
            return ast.get_source_segment(source, node.annotation)
    return None


def _class_block(cls: type, twins: dict[str, str]) -> _Block:
    path = Path(inspect.getfile(cls))
    source = path.read_text()
    lines = source.splitlines()
    cls_node = _find_class(ast.parse(source), cls.__qualname__)
    defined = _names_defined(cls_node.body, lines)
    body: list[str] = []
    for twin in sorted(twins):
        name = twins[twin]
        if twin in defined:  # written by hand in the class body: nothing to generate
            continue
        if name in defined:
            body.append(f"{twin} = {name}")
            continue
        annotation = _instance_annotation(cls_node, name, source)
        if annotation is None:
            raise GenerationError(
                f"{path}: {cls.__qualname__}.{name} has no value in the class body and no "
                f"annotation: annotate it (`self.{name}: T = ...` or `{name}: T` in the class "
                f"body) so that its twin {twin} can be declared with the same type"
            )
        body.append(f"{twin}: {annotation}")
    return _Block(path, cls.__qualname__, body)


def _module_block(module: ModuleType, twins: dict[str, str]) -> _Block:
    path = Path(inspect.getfile(module))
    source = path.read_text()
    lines = source.splitlines()
    defined = _names_defined(ast.parse(source).body, lines)
    body = [f"{twin} = {twins[twin]}" for twin in sorted(twins) if twin not in defined]
    exported = sorted(twin for twin in twins if twin in getattr(module, "__all__", ()))
    if exported:
        body.append("__all__ += [")
        body.extend(f'    "{twin}",' for twin in exported)
        body.append("]")
    return _Block(path, None, body)


def _blocks() -> list[_Block]:
    import_everything()
    blocks: list[_Block] = []
    for owner, twins in list(_naming.made_twins.items()):
        if not twins:
            continue
        if isinstance(owner, str):
            blocks.append(_module_block(sys.modules[owner], twins))
        else:
            blocks.append(_class_block(owner, twins))
    return blocks


def _import_type_checking(source: str, block: _Block) -> str:
    """*source* importing ``TYPE_CHECKING`` (added to its one-line ``from typing import``)."""
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "typing":
            names = [alias.name for alias in node.names]
            if "TYPE_CHECKING" in names:
                return source
            if node.lineno == node.end_lineno and all(a.asname is None for a in node.names):
                lines = source.splitlines(keepends=True)
                names = ["TYPE_CHECKING", *names]
                lines[node.lineno - 1] = f"from typing import {', '.join(names)}\n"
                return "".join(lines)
    raise GenerationError(
        f"{block.path}: add `from typing import TYPE_CHECKING` (it guards the generated "
        f"snake_case twins of {block.qualname or 'the module'})"
    )


def _place(source: str, block: _Block) -> str:
    """*source* with *block* as the last statement of its class body or module (replacing the
    block already there, wherever it is)."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    body = tree.body if block.qualname is None else _find_class(tree, block.qualname).body
    old = [node for node in body if _is_marked(node, [line.rstrip("\n") for line in lines])]
    for node in reversed(old):
        start, end = node.lineno - 1, node.end_lineno or node.lineno
        while start > 0 and not lines[start - 1].strip():
            start -= 1  # the blank lines before it go with it
        del lines[start:end]
    source = "".join(lines)
    if not block.lines:
        return source
    source = _import_type_checking(source, block)
    tree = ast.parse(source)
    if block.qualname is None:
        body, indent = tree.body, ""
    else:
        cls_node = _find_class(tree, block.qualname)
        body, indent = cls_node.body, " " * (cls_node.col_offset + 4)
    last = body[-1]
    blank = 1
    if block.qualname is None and isinstance(
        last, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
    ):
        blank = 2
    text = ["\n" * blank, f"{indent}if TYPE_CHECKING:  {MARKER}\n"]
    text.extend(f"{indent}    {line}\n" for line in block.lines)
    lines = source.splitlines(keepends=True)
    end = last.end_lineno or last.lineno
    if end == len(lines) and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    lines[end:end] = ["".join(text)]
    return "".join(lines)


def expected_sources() -> dict[Path, tuple[str, str]]:
    """``{path: (source on disk, source as it should be)}`` for every file with twins, and
    every file that has a generated block."""
    by_path: dict[Path, list[_Block]] = {}
    for block in _blocks():
        by_path.setdefault(block.path, []).append(block)
    package = Path(inspect.getfile(importlib.import_module("twnet"))).parent
    for path in sorted(package.rglob("*.py")):
        if MARKER in path.read_text():
            by_path.setdefault(path, [])
    out: dict[Path, tuple[str, str]] = {}
    for path, blocks in by_path.items():
        current = path.read_text()
        new = _strip_all(current)
        for block in blocks:
            new = _place(new, block)
        out[path] = (current, new)
    return out


def _strip_all(source: str) -> str:
    """*source* without any generated block (the class or module lost its twins)."""
    tree = ast.parse(source)
    lines = source.splitlines()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and any(
            isinstance(stmt, ast.stmt) and _is_marked(stmt, lines) for stmt in body
        ):
            qualname = None if isinstance(node, ast.Module) else _qualname(tree, node)
            source = _place(source, _Block(Path(), qualname, []))
            return _strip_all(source)
    return source


def _qualname(tree: ast.Module, target: ast.AST) -> str:
    def walk(body: list[ast.stmt], prefix: str) -> str | None:
        for node in body:
            if isinstance(node, ast.ClassDef):
                name = prefix + node.name
                if node is target:
                    return name
                found = walk(node.body, name + ".")
                if found:
                    return found
        return None

    found = walk(tree.body, "")
    if found is None:
        raise GenerationError("a generated twin block outside a top-level class body")
    return found


def check() -> list[Path]:
    """The files whose generated blocks are not what the run-time twins say."""
    return [path for path, (old, new) in expected_sources().items() if old != new]


def write() -> list[Path]:
    """Rewrite every stale file; returns them."""
    stale = []
    for path, (old, new) in expected_sources().items():
        if old != new:
            path.write_text(new)
            stale.append(path)
    return stale


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args not in ([], ["--write"]):
        print(f"usage: python -m twnet._gen_twins [--write]\n\n{__doc__}", file=sys.stderr)
        return 2
    try:
        if args:
            for path in write():
                print(f"rewrote {path}")
            return 0
        stale = check()
    except GenerationError as error:
        print(f"twnet._gen_twins: {error}", file=sys.stderr)
        return 1
    for path in stale:
        print(f"stale snake_case twin block: {path}")
    if stale:
        print(f"run: {_COMMAND}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

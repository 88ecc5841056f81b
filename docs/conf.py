"""Sphinx configuration for twnet's documentation (built by ``./run-tests -e docs``)."""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

# Document the source tree beside this directory, installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

project = "twnet"
author = "twnet developers"
copyright = "twnet developers"
try:
    release = metadata.version("twnet")
except metadata.PackageNotFoundError:
    release = "unknown"
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "myst_parser",  # the Markdown pages (reliability.md, performance.md)
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}

# No intersphinx: the docs build offline.
exclude_patterns = ["_build"]
default_role = "code"
autodoc_member_order = "bysource"
autodoc_typehints = "description"
html_theme = "alabaster"


def _skip_snake_case_twins(
    app: Sphinx, what: str, name: str, obj: object, skip: bool, options: object
) -> bool | None:
    """Leave the snake_case twins out of the class pages.

    Node's names are camelCase or one word, so a public member of a class with ``_`` inside its
    name is the snake_case twin of a camelCase member (the same object under a second name).
    """
    if what in ("class", "exception") and not name.startswith("_") and "_" in name:
        return True
    return None


def setup(app: Sphinx) -> None:
    app.connect("autodoc-skip-member", _skip_snake_case_twins)

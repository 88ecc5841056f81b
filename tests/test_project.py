"""The project's own files: the one test command, the typing marker, the tox environments."""

from __future__ import annotations

import configparser
import importlib.resources
import os
import re
from importlib import metadata
from pathlib import Path
from types import ModuleType

import pytest

import twnet
from twnet._naming import snake

ROOT = Path(__file__).resolve().parents[1]


def readme_test_command() -> str:
    """The command in the first fenced block under README.md's "Running the tests" heading."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index("## Running the tests")
    opening = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("```"))
    closing = next(i for i in range(opening + 1, len(lines)) if lines[i].startswith("```"))
    block = lines[opening + 1 : closing]
    assert len(block) == 1, f"the README's test command must be one line, not {block!r}"
    return block[0].strip()


def ci_command() -> str:
    """The last command of .ci/run."""
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    commands = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return commands[-1]


def test_ci_runs_the_readme_test_command() -> None:
    assert ci_command() == readme_test_command()


def test_ci_script_fails_on_errors() -> None:
    assert "set -euo pipefail" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_run_tests_is_executable() -> None:
    assert os.access(ROOT / "run-tests", os.X_OK)


def test_tox_runs_every_environment() -> None:
    tox = configparser.ConfigParser()
    tox.read(ROOT / "tox.ini", encoding="utf-8")
    env_list = [name.strip() for name in tox["tox"]["env_list"].split(",")]
    assert env_list == ["py", "trial", "lint", "typing", "docs"]


def test_the_suite_runs_against_the_installed_wheel_under_tox() -> None:
    """tox builds a wheel and installs it: the suite tests that, not the checkout, so a
    module missing from the wheel fails it. tox.ini's py environment says so with
    TWNET_TEST_INSTALLED (tox also sets TOX_ENV_NAME)."""
    tox = configparser.ConfigParser(interpolation=None)
    tox.read(ROOT / "tox.ini", encoding="utf-8")
    assert "TWNET_TEST_INSTALLED = 1" in tox["testenv:py"]["set_env"]
    if not (os.environ.get("TWNET_TEST_INSTALLED") or os.environ.get("TOX_ENV_NAME")):
        pytest.skip("run from the checkout, not under tox")
    package = Path(twnet.__file__).resolve().parent
    # (.tox/ may sit inside the checkout: what must not be used is the checkout's twnet/)
    assert package != (ROOT / "twnet").resolve(), "twnet was imported from the checkout"
    assert "site-packages" in package.parts, package
    source = {path.relative_to(ROOT / "twnet") for path in (ROOT / "twnet").rglob("*.py")}
    installed = {path.relative_to(package) for path in package.rglob("*.py")}
    assert source <= installed, f"missing from the wheel: {sorted(map(str, source - installed))}"


def test_py_typed_in_the_tree_and_in_the_installed_package() -> None:
    assert (ROOT / "twnet" / "py.typed").is_file()
    assert importlib.resources.files("twnet").joinpath("py.typed").is_file()
    try:
        files = {str(path) for path in metadata.files("twnet") or ()}
    except metadata.PackageNotFoundError:  # run from the source tree, not installed
        return
    if "twnet/__init__.py" in files:  # installed from a wheel (as tox does), not editable
        assert "twnet/py.typed" in files


def test_api_page_lists_every_public_name() -> None:
    """docs/api.rst documents each name of ``twnet.__all__`` but the snake_case twins and the
    modules (``net``, ``timers``: pages of their own)."""
    exported = {n for n in twnet.__all__ if not isinstance(getattr(twnet, n), ModuleType)}
    twins = {snake(name) for name in exported if snake(name) != name}
    page = (ROOT / "docs" / "api.rst").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\.\. (?:auto\w+|data|function|class):: (\w+)", page, re.M))
    assert documented == exported - twins

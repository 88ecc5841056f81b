"""Node's camelCase names and their snake_case twins, made by one mechanism.

Node's spelling is the contract (``setNoDelay``, ``bytesRead``, ``allowHalfOpen``); every
camelCase method, property and option key also answers to its snake_case twin
(``set_no_delay``, ``bytes_read``, ``allow_half_open``). Classes get their twins from
:func:`add_snake_twins` (applied automatically to every :class:`~twnet.EventEmitter`
subclass), modules from :func:`module_twins`, option dictionaries from :func:`options`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeVar

__all__ = ["add_snake_twins", "camel", "module_twins", "options", "snake"]

_T = TypeVar("_T", bound=type)
#: What the two functions below made for twnet's own classes and modules, in the order made:
#: ``{class or module name: {twin: camelCase name}}``. ``python -m twnet._gen_twins`` reads it
#: to write the same twins where type checkers see them.
made_twins: dict[type | str, dict[str, str]] = {}
# A capital after a lower-case letter or digit starts a word, and so does the last capital of an
# acronym followed by a lower-case word (``HTTPServer``); a plural acronym stays one word
# (``addCIDRs`` -> ``add_cidrs``).
_UPPER = re.compile(r"(?<=[a-z0-9])([A-Z])|(?<=[A-Z])([A-Z])(?=[a-z])(?!s(?![a-z]))")
_camel_cache: dict[str, str] = {}


def snake(name: str) -> str:
    """``'setNoDelay'`` -> ``'set_no_delay'``; ``'isIPv4'`` -> ``'is_ipv4'``."""
    out = _UPPER.sub(lambda m: "_" + (m.group(1) or m.group(2)), name).lower()
    return out.replace("_i_pv", "_ipv")


def camel(name: str) -> str:
    """``'allow_half_open'`` -> ``'allowHalfOpen'``; names without ``_`` are unchanged."""
    cached = _camel_cache.get(name)
    if cached is not None:
        return cached
    if "_" not in name.strip("_"):
        result = name
    else:
        head, *rest = name.split("_")
        result = head + "".join(part[:1].upper() + part[1:] for part in rest)
        result = result.replace("Ipv", "IPv")
    _camel_cache[name] = result
    return result


def _is_public_camel(name: str) -> bool:
    return not name.startswith("_") and name != name.lower() and not name[:1].isupper()


def _is_twnets(module: str) -> bool:
    return module == "twnet" or module.startswith("twnet.")


def add_snake_twins(cls: _T) -> _T:
    """Give every public camelCase attribute defined on *cls* its snake_case twin.

    The twin is the very same object (function, property, classmethod, value), so overriding
    the camelCase name in a subclass overrides what the twin means there too: the subclass
    gets its own twin when this runs for it.
    """
    made = made_twins.setdefault(cls, {}) if _is_twnets(cls.__module__) else {}
    for name, value in list(vars(cls).items()):
        if _is_public_camel(name):
            twin = snake(name)
            if twin != name and twin not in vars(cls):
                setattr(cls, twin, value)
                made[twin] = name
    return cls


def module_twins(namespace: dict[str, Any], names: list[str]) -> list[str]:
    """Add snake_case twins of *names* to a module *namespace*; returns the twins' names."""
    added = []
    module = str(namespace.get("__name__"))
    made = made_twins.setdefault(module, {}) if _is_twnets(module) else {}
    for name in names:
        if _is_public_camel(name):
            twin = snake(name)
            namespace[twin] = namespace[name]
            added.append(twin)
            made[twin] = name
    return added


def options(opts: Mapping[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
    """Merge a Node options dict and keyword arguments, with every key in camelCase.

    ``options({'allow_half_open': True}, pause_on_connect=True)`` gives
    ``{'allowHalfOpen': True, 'pauseOnConnect': True}``.
    """
    merged: dict[str, Any] = {}
    if opts:
        for key, value in opts.items():
            merged[camel(key) if "_" in key else key] = value
    for key, value in kwargs.items():
        merged[camel(key) if "_" in key else key] = value
    return merged

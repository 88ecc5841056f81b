"""JavaScript's conversions of Python values, the few every other module needs:
``Number`` for a Python number beyond a double's range, and ``String(value)``. The lowest
module of twnet (it imports nothing of it), so that errors can build their messages with it.
"""

from __future__ import annotations

import math

__all__ = ["as_double", "js_string", "number_string"]


def as_double(value: float) -> float:
    """The JavaScript number of a Python number: an ``int`` beyond a double's range is
    ``±Infinity`` (where ``float()`` raises ``OverflowError``)."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def js_string(value: object) -> str:
    """``String(value)`` for a Python value read as JavaScript would hold it (a list is an
    array, ``bytes`` a Buffer of UTF-8 text, any other object ``'[object Object]'``)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_string(as_double(value))
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, (list, tuple)):
        return ",".join("" if item is None else js_string(item) for item in value)
    return "[object Object]"


def number_string(number: float) -> str:
    """``String(number)`` for a double (``NaN``, ``Infinity``, ``3``, ``1.5``)."""
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number.is_integer() and abs(number) < 1e21:
        return str(int(number))
    return repr(number)  # only its leading digits matter to parse_int

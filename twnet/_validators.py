"""Node's argument validators (``lib/internal/validators.js``) and JavaScript's conversions,
for Python values. Pure Python: no Twisted here. Every error is built by :mod:`twnet._errors`.

How a Python value reads as a JavaScript one:

* *number*: ``int`` and ``float``, never ``bool`` (``typeof true`` is ``'boolean'``). An
  ``int`` too large for a double is ``Infinity`` (:func:`as_double`), as JSON would give it.
* *boolean*: ``bool``; *string*: ``str``; *function*: anything callable;
  ``None`` stands for ``undefined`` (an omitted argument) and, where Node tests it, ``null``.
* *object*: anything else (``dict``, ``bytes``, a Twisted endpoint...); ``list`` and
  ``tuple`` are arrays.

Strings read as numbers with JavaScript's ``Number(string)``, not Python's ``float()``: JS
white space (BOM included) is trimmed, ``''`` is 0, ``0x``/``0o``/``0b`` prefixes are read,
``Infinity`` is spelled out; ``inf``, ``nan``, ``1_000`` and non-ASCII digits (Arabic-Indic
``'\\u0661'``) are NaN.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeGuard

from twnet._encoding import normalize_encoding
from twnet._errors import invalid_arg_type, make_error
from twnet._jsvalues import as_double, js_string, number_string

__all__ = [
    "MAX_SAFE_INTEGER",
    "TIMEOUT_MAX",
    "TimeoutNaNWarning",
    "TimeoutNegativeWarning",
    "TimeoutOverflowWarning",
    "as_double",
    "is_function",
    "is_integer",
    "is_number",
    "is_pipe_name",
    "js_number",
    "js_string",
    "js_trim",
    "js_truthy",
    "parse_int",
    "string_to_number",
    "timer_duration",
    "to_int32",
    "to_number",
    "to_uint32",
    "validate_abort_signal",
    "validate_boolean",
    "validate_encoding",
    "validate_function",
    "validate_int32",
    "validate_integer",
    "validate_number",
    "validate_object",
    "validate_one_of",
    "validate_port",
    "validate_string",
    "validate_string_without_null_bytes",
    "validate_uint32",
]

MAX_SAFE_INTEGER = 2**53 - 1
_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1

# -- JavaScript's view of Python values ----------------------------------------------------


def is_number(value: object) -> TypeGuard[int | float]:
    """``typeof value === 'number'``: an ``int`` or ``float`` that is not a ``bool``."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_function(value: object) -> TypeGuard[Callable[..., Any]]:
    """``typeof value === 'function'``: anything callable (a JavaScript class is a function
    too)."""
    return callable(value)


def is_integer(value: object) -> bool:
    """``Number.isInteger(value)``: a number with no fraction (an ``int`` a double can hold;
    a finite integral ``float``)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return math.isfinite(as_double(value))  # beyond a double, JavaScript has Infinity
    return isinstance(value, float) and math.isfinite(value) and value.is_integer()


def js_truthy(value: object) -> bool:
    """JavaScript's truthiness: ``None``, ``False``, ``0``, ``NaN`` and ``''`` are false;
    everything else is true (an empty ``dict`` or ``list`` too, unlike Python)."""
    if value is None or value is False:
        return False
    if isinstance(value, (int, float)):
        return value == value and value != 0
    if isinstance(value, str):
        return value != ""
    return True


# ECMAScript WhiteSpace and LineTerminator: what String.prototype.trim and Number() strip.
_JS_SPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_DECIMAL = re.compile(r"[+-]?(?:Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)")
_RADIX = re.compile(r"0(?:[xX]([0-9a-fA-F]+)|[oO]([0-7]+)|[bB]([01]+))")
_LEADING_INT = re.compile(r"[+-]?[0-9]+")


def js_trim(text: str) -> str:
    """``String.prototype.trim``: JavaScript's white space (BOM included), nothing more."""
    return text.strip(_JS_SPACE)


def string_to_number(text: str) -> float:
    """JavaScript's ``Number(text)``: NaN where JavaScript finds no number."""
    text = js_trim(text)
    if text == "":
        return 0.0
    if _DECIMAL.fullmatch(text):
        return float(text.replace("Infinity", "inf"))
    radix = _RADIX.fullmatch(text)
    if radix is None:
        return math.nan
    digits, base = next((g, b) for g, b in zip(radix.groups(), (16, 8, 2), strict=True) if g)
    return as_double(int(digits, base))


def to_number(value: object) -> float:
    """JavaScript's ``Number(value)`` for a Python value (``None`` is ``undefined``: NaN;
    ``bytes`` a Buffer, read as its UTF-8 text)."""
    if isinstance(value, (bool, int, float)):
        return as_double(value)
    if isinstance(value, str):
        return string_to_number(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return string_to_number(js_string(value))
    if isinstance(value, (list, tuple)):  # an array reads as its joined string
        if not value:
            return 0.0
        if len(value) == 1:
            return to_number("" if value[0] is None else js_string(value[0]))
    return math.nan


def parse_int(value: object) -> float:
    """``parseInt(value, 10)``: the leading decimal integer of ``String(value)``, else NaN."""
    match = _LEADING_INT.match(js_trim(js_string(value)))
    if match is None:
        return math.nan
    number = as_double(int(match.group()))
    return -0.0 if number == 0 and match.group().startswith("-") else number


def to_int32(value: object) -> int:
    """JavaScript's ``value | 0`` (ToInt32): modulo 2**32, NaN and infinities are 0."""
    number = to_number(value)
    if not math.isfinite(number):
        return 0
    wrapped = int(number) % 2**32
    return wrapped - 2**32 if wrapped > _INT32_MAX else wrapped


def to_uint32(value: object) -> int:
    """JavaScript's ``value >>> 0`` (ToUint32)."""
    return to_int32(value) % 2**32


def is_pipe_name(value: object) -> TypeGuard[str]:
    """Node's ``isPipeName``: a string that ``Number()`` reads as NaN or a negative number."""
    if not isinstance(value, str):
        return False
    number = string_to_number(value)
    return not number >= 0


# -- the validators ------------------------------------------------------------------------


def _js_number_text(number: float) -> str:
    """How JavaScript writes a bound in a range message (``2147483647``, ``1.5``)."""
    return number_string(as_double(number))


def validate_number(
    value: object, name: str, min: float | None = None, max: float | None = None
) -> float:
    """Node's ``validateNumber``: a number (NaN included unless a bound is given), within
    ``min``/``max`` when given. Returns it as a double."""
    if not is_number(value):
        raise invalid_arg_type(name, "number", value)
    number = as_double(value)
    if (
        (min is not None and number < min)
        or (max is not None and number > max)
        or ((min is not None or max is not None) and math.isnan(number))
    ):
        parts = []
        if min is not None:
            parts.append(f">= {_js_number_text(min)}")
        if max is not None:
            parts.append(f"<= {_js_number_text(max)}")
        raise make_error("ERR_OUT_OF_RANGE", name, " && ".join(parts), value)
    return number


def validate_integer(
    value: object, name: str, min: int = -MAX_SAFE_INTEGER, max: int = MAX_SAFE_INTEGER
) -> int:
    """Node's ``validateInteger``: an integral number within ``min``..``max`` (the safe
    integers by default). Returns it as an ``int``."""
    if not is_number(value):
        raise invalid_arg_type(name, "number", value)
    if not is_integer(value):
        raise make_error("ERR_OUT_OF_RANGE", name, "an integer", value)
    number = int(value)
    if number < min or number > max:
        raise make_error("ERR_OUT_OF_RANGE", name, f">= {min} && <= {max}", value)
    return number


def validate_int32(value: object, name: str, min: int = _INT32_MIN, max: int = _INT32_MAX) -> int:
    """Node's ``validateInt32``: an integral number within ``min``..``max`` (a signed 32-bit
    integer by default)."""
    return validate_integer(value, name, min, max)


def validate_uint32(value: object, name: str, positive: bool = False) -> int:
    """Node's ``validateUint32``: an integral number in ``0`` (``1`` if *positive*) ..
    ``4294967295``."""
    return validate_integer(value, name, 1 if positive else 0, 2**32 - 1)


def validate_string(value: object, name: str) -> str:
    """Node's ``validateString``."""
    if not isinstance(value, str):
        raise invalid_arg_type(name, "string", value)
    return value


def validate_string_without_null_bytes(value: object, name: str) -> str:
    """Node's ``validateStringWithoutNullBytes``: a string holding no ``'\\0'``."""
    text = validate_string(value, name)
    if "\0" in text:
        raise make_error("ERR_INVALID_ARG_VALUE", name, text, "must be a string without null bytes")
    return text


def validate_boolean(value: object, name: str) -> bool:
    """Node's ``validateBoolean``: exactly ``True`` or ``False``."""
    if not isinstance(value, bool):
        raise invalid_arg_type(name, "boolean", value)
    return value


def validate_function(value: object, name: str) -> Callable[..., Any]:
    """Node's ``validateFunction``: anything callable."""
    if not is_function(value):
        raise invalid_arg_type(name, "Function", value)
    return value


def validate_object(
    value: object,
    name: str,
    *,
    allow_array: bool = False,
    allow_function: bool = False,
) -> object:
    """Node's ``validateObject``: not a primitive (``None``, ``bool``, number, ``str``), not
    a list or tuple unless *allow_array*, not a function unless *allow_function*. (Node's
    ``nullable`` lets ``null`` pass, never ``undefined``: Python's ``None`` is refused.)"""
    if (
        value is None
        or isinstance(value, (bool, int, float, str))
        or (isinstance(value, (list, tuple)) and not allow_array)
        or (is_function(value) and not allow_function)
    ):
        raise invalid_arg_type(name, "Object", value)
    return value


def validate_one_of(value: object, name: str, choices: Iterable[object]) -> object:
    """Node's ``validateOneOf``: *value* is one of *choices* (compared as JavaScript's
    ``===``: ``True`` is not ``1``, ``'4'`` is not ``4``)."""
    options = list(choices)
    for choice in options:
        same_type = type(choice) is type(value) or (is_number(choice) and is_number(value))
        if same_type and choice == value:
            return value
    shown = ", ".join(f"'{c}'" if isinstance(c, str) else js_string(c) for c in options)
    raise make_error("ERR_INVALID_ARG_VALUE", name, value, f"must be one of: {shown}")


def validate_abort_signal(value: object, name: str) -> object:
    """Node's ``validateAbortSignal``: ``None`` (no signal) or an object with ``aborted``."""
    if value is None:
        return value
    if isinstance(value, (bool, int, float, str)) or is_function(value):
        raise invalid_arg_type(name, "AbortSignal", value)
    if not hasattr(value, "aborted") and not (isinstance(value, Mapping) and "aborted" in value):
        raise invalid_arg_type(name, "AbortSignal", value)
    return value


def validate_encoding(value: object, *, empty_is_utf8: bool = True) -> str:
    """An encoding name Node knows, as its canonical name; else ``ERR_UNKNOWN_ENCODING``.
    ``None`` means ``'utf8'``; so does ``''`` with *empty_is_utf8* (``setEncoding``, the
    ``encoding`` option), not without it (``setDefaultEncoding``, ``defaultEncoding``:
    Node's ``Buffer.isEncoding``)."""
    found = None if value == "" and not empty_is_utf8 else normalize_encoding(value)
    if found is None:
        raise make_error("ERR_UNKNOWN_ENCODING", value)
    return found


#: Node's ``TIMEOUT_MAX``: the longest timer, in ms (a signed 32-bit integer).
TIMEOUT_MAX = 2**31 - 1


class TimeoutOverflowWarning(RuntimeWarning):
    """Node's warning for a delay above 2**31-1 ms (a timer then fires after 1 ms; a
    socket's idle timeout is cut to 2**31-1 ms)."""


class TimeoutNegativeWarning(RuntimeWarning):
    """Node's warning for a negative delay (the timer fires after 1 ms)."""


class TimeoutNaNWarning(RuntimeWarning):
    """Node's warning for a delay that is not a number (the timer fires after 1 ms)."""


def js_number(value: float) -> str:
    """A number as JavaScript prints it (``1`` not ``1.0``, ``NaN``, ``-Infinity``)."""
    if value != value:
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if float(value).is_integer() and abs(value) < 1e21:
        return str(int(value))
    return repr(float(value))


def timer_duration(msecs: object, name: str, *, warn: bool = True) -> float:
    """Node's ``getTimerDuration``: a finite number >= 0 (``ERR_INVALID_ARG_TYPE``,
    ``ERR_OUT_OF_RANGE`` otherwise), cut down to :data:`TIMEOUT_MAX` with Node's
    ``TimeoutOverflowWarning`` (*warn* False: only check, as a call that will ask again)."""
    number = validate_number(msecs, name)
    if number < 0 or not math.isfinite(number):
        raise make_error("ERR_OUT_OF_RANGE", name, "a non-negative finite number", msecs)
    if number <= TIMEOUT_MAX:
        return number
    if warn:
        warnings.warn(
            TimeoutOverflowWarning(
                f"{js_number(number)} does not fit into a 32-bit signed integer.\n"
                f"Timer duration was truncated to {TIMEOUT_MAX}."
            ),
            stacklevel=3,
        )
    return TIMEOUT_MAX


def validate_port(port: object, name: str = "Port", allow_zero: bool = True) -> int:
    """Node's ``validatePort``: a number or a string (``Number()`` semantics) that is an
    integer 0..65535 (1..65535 without *allow_zero*). Returns the port as an ``int``."""
    if isinstance(port, str):
        number = string_to_number(port) if js_trim(port) else math.nan
    elif is_number(port):
        number = as_double(port)
    else:
        number = math.nan
    if (
        not math.isfinite(number)
        or not number.is_integer()
        or not 0 <= number <= 0xFFFF
        or (not allow_zero and number == 0)
    ):
        raise make_error("ERR_SOCKET_BAD_PORT", name, port, allow_zero)
    return int(number)

"""Node's camelCase names and their snake_case twins (``twnet/_naming.py``).

The walks over ``twnet.__all__`` check every public class and function twnet exports, so they
keep checking as classes (Socket, Server, ...) are added.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest

import twnet
from twnet import _naming
from twnet._naming import add_snake_twins, camel, module_twins, options, snake

# -- conversions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("camel_name", "snake_name"),
    [
        ("on", "on"),
        ("setNoDelay", "set_no_delay"),
        ("bytesRead", "bytes_read"),
        ("allowHalfOpen", "allow_half_open"),
        ("removeListener", "remove_listener"),
        ("prependOnceListener", "prepend_once_listener"),
        ("createServer", "create_server"),
        ("createConnection", "create_connection"),
        ("getConnections", "get_connections"),
        ("setKeepAlive", "set_keep_alive"),
        ("keepAliveInitialDelay", "keep_alive_initial_delay"),
        ("autoSelectFamilyAttemptTimeout", "auto_select_family_attempt_timeout"),
        ("nextTick", "next_tick"),
        ("isIP", "is_ip"),
        ("isIPv4", "is_ipv4"),
        ("isIPv6", "is_ipv6"),
        ("ipv6Only", "ipv6_only"),
        ("remoteFamily", "remote_family"),
        ("readyState", "ready_state"),
        ("maxConnections", "max_connections"),
        ("defaultMaxListeners", "default_max_listeners"),
        ("addCIDR", "add_cidr"),
        ("addCIDRs", "add_cidrs"),
        ("toJSON", "to_json"),
        ("isBlockList", "is_block_list"),
        ("setTypeOfService", "set_type_of_service"),
    ],
)
def test_snake(camel_name: str, snake_name: str) -> None:
    assert snake(camel_name) == snake_name


@pytest.mark.parametrize(
    ("snake_name", "camel_name"),
    [
        ("allow_half_open", "allowHalfOpen"),
        ("pause_on_connect", "pauseOnConnect"),
        ("no_delay", "noDelay"),
        ("keep_alive_initial_delay", "keepAliveInitialDelay"),
        ("ipv6_only", "ipv6Only"),
        ("is_ipv4", "isIPv4"),
        ("is_ipv6", "isIPv6"),
        ("auto_select_family_attempt_timeout", "autoSelectFamilyAttemptTimeout"),
        ("reuse_port", "reusePort"),
        ("readable_all", "readableAll"),
        ("high_water_mark", "highWaterMark"),
        ("local_address", "localAddress"),
        ("port", "port"),
        ("allowHalfOpen", "allowHalfOpen"),  # already camelCase: unchanged
        ("_private", "_private"),
    ],
)
def test_camel(snake_name: str, camel_name: str) -> None:
    assert camel(snake_name) == camel_name
    assert camel(snake_name) == camel_name  # cached: the same answer again


@pytest.mark.parametrize(
    "name",
    [
        "allowHalfOpen",
        "pauseOnConnect",
        "noDelay",
        "keepAlive",
        "keepAliveInitialDelay",
        "highWaterMark",
        "blockList",
        "autoSelectFamily",
        "autoSelectFamilyAttemptTimeout",
        "localAddress",
        "localPort",
        "readableAll",
        "writableAll",
        "ipv6Only",
        "reusePort",
        "isIPv4",
        "isIPv6",
    ],
)
def test_node_option_keys_round_trip(name: str) -> None:
    assert camel(snake(name)) == name


# -- add_snake_twins ---------------------------------------------------------------------------


def _make_class() -> type:
    class Thing:
        bufferSize = 7

        def __init__(self) -> None:
            self._timeout = 0

        def setTimeout(self, ms: int) -> str:
            self._timeout = ms
            return "set"

        @property
        def readyState(self) -> str:
            return "open"

        @property
        def timeoutMs(self) -> int:
            return self._timeout

        @timeoutMs.setter
        def timeoutMs(self, value: int) -> None:
            self._timeout = value

        @classmethod
        def fromThing(cls, other: Any) -> str:
            return f"{cls.__name__} from {other}"

        @staticmethod
        def isThing(value: Any) -> bool:
            return isinstance(value, Thing)

        def plain(self) -> str:
            return "plain"

        def _privateName(self) -> None:
            pass

        def already_snake(self) -> None:
            pass

    return add_snake_twins(Thing)


def test_add_snake_twins_returns_the_class() -> None:
    class Empty:
        pass

    assert add_snake_twins(Empty) is Empty


def test_method_twin_is_the_same_function() -> None:
    cls = _make_class()
    assert cls.set_timeout is cls.setTimeout
    thing = cls()
    assert thing.set_timeout(5) == "set"
    assert thing._timeout == 5


def test_property_twin_gets_and_sets() -> None:
    cls = _make_class()
    static = inspect.getattr_static
    assert static(cls, "ready_state") is static(cls, "readyState")
    assert static(cls, "timeout_ms") is static(cls, "timeoutMs")
    thing = cls()
    assert thing.ready_state == "open"
    thing.timeout_ms = 250
    assert thing.timeoutMs == 250
    thing.timeoutMs = 3
    assert thing.timeout_ms == 3
    with pytest.raises(AttributeError):
        thing.ready_state = "closed"  # read-only in both spellings


def test_classmethod_and_staticmethod_twins() -> None:
    cls = _make_class()
    static = inspect.getattr_static
    assert static(cls, "from_thing") is static(cls, "fromThing")
    assert isinstance(static(cls, "from_thing"), classmethod)
    assert cls.from_thing("x") == "Thing from x"
    assert static(cls, "is_thing") is static(cls, "isThing")
    assert cls.is_thing(cls()) is True


def test_value_twin_and_what_gets_no_twin() -> None:
    cls = _make_class()
    assert cls.buffer_size == 7
    names = vars(cls)
    assert "plain" in names and "already_snake" in names
    assert "_private_name" not in names  # private names get no twin
    assert "_privateName" in names


def test_subclass_overriding_the_camel_name_gets_its_own_twin() -> None:
    base = _make_class()

    class Sub(base):  # type: ignore[misc, valid-type]
        def setTimeout(self, ms: int) -> str:
            return "sub"

    add_snake_twins(Sub)
    assert Sub.set_timeout is Sub.setTimeout
    assert Sub().set_timeout(1) == "sub"
    assert base.set_timeout is base.setTimeout  # the base is untouched


def test_existing_snake_name_is_not_overwritten() -> None:
    class Both:
        def setNoDelay(self) -> str:
            return "camel"

        def set_no_delay(self) -> str:
            return "hand-written"

    add_snake_twins(Both)
    assert Both().set_no_delay() == "hand-written"


def test_event_emitter_subclasses_get_twins_automatically() -> None:
    class Custom(twnet.EventEmitter):
        def sendMessage(self, text: str) -> str:
            return text

        @property
        def isReady(self) -> bool:
            return True

    assert Custom.send_message is Custom.sendMessage
    assert inspect.getattr_static(Custom, "is_ready") is inspect.getattr_static(Custom, "isReady")
    assert Custom().is_ready is True


# -- every class and function twnet exports ----------------------------------------------------


def _public_classes() -> list[type]:
    """The classes of ``twnet``, ``twnet.stream``, ``twnet.events``, ``twnet.timers`` and
    ``twnet.timers.promises``, each once."""
    import twnet.events
    import twnet.stream
    import twnet.timers.promises

    classes: list[type] = []
    for module in (twnet, twnet.stream, twnet.events, twnet.timers, twnet.timers.promises):
        for name in module.__all__:
            value = getattr(module, name)
            if isinstance(value, type) and value not in classes:
                classes.append(value)
    return classes


def _camel_names(cls: type) -> list[str]:
    return [name for name in dir(cls) if _naming._is_public_camel(name)]


def test_the_walk_finds_the_foundation_classes() -> None:
    classes = _public_classes()
    assert twnet.EventEmitter in classes
    assert twnet.NodeError in classes
    assert "removeListener" in _camel_names(twnet.EventEmitter)


@pytest.mark.parametrize("cls", _public_classes(), ids=lambda cls: cls.__name__)
def test_every_public_camel_name_has_its_snake_twin(cls: type) -> None:
    missing = []
    different = []
    for name in _camel_names(cls):
        twin = snake(name)
        try:
            twin_value = inspect.getattr_static(cls, twin)
        except AttributeError:
            missing.append(f"{name} -> {twin}")
            continue
        value = inspect.getattr_static(cls, name)
        if twin_value is not value:
            different.append(f"{name} -> {twin}")
        elif not isinstance(value, property | classmethod | staticmethod):
            assert getattr(cls, twin) is getattr(cls, name)
    assert missing == [], f"{cls.__name__} lacks twins"
    assert different == [], f"{cls.__name__}'s twins are other objects"


@pytest.mark.parametrize("cls", _public_classes(), ids=lambda cls: cls.__name__)
def test_twins_of_an_instance_are_bound_to_the_same_function(cls: type) -> None:
    for name in _camel_names(cls):
        value = inspect.getattr_static(cls, name)
        if inspect.isfunction(value):
            assert getattr(cls, snake(name)) is getattr(cls, name)


def test_every_camel_case_module_name_has_its_twin() -> None:
    exported = set(twnet.__all__)
    for name in twnet.__all__:
        value = getattr(twnet, name)
        if _naming._is_public_camel(name) and callable(value) and not isinstance(value, type):
            twin = snake(name)
            assert twin in exported, f"twnet.{name} has no twin {twin} in __all__"
            assert getattr(twnet, twin) is value
            if name in twnet.net.__all__:
                assert getattr(twnet.net, twin) is value
                assert getattr(twnet.net, name) is value
            else:  # one of Node's globals (timers...): in its own module
                assert name in twnet._globals, name


def test_every_export_is_there() -> None:
    for name in twnet.__all__:
        assert hasattr(twnet, name), name
    assert set(twnet.net.__all__) <= set(twnet.__all__)
    assert twnet.net is twnet.__dict__["net"]


def test_module_twins() -> None:
    def fooBar() -> str:
        return "x"

    def plain() -> None:
        pass

    namespace: dict[str, Any] = {"fooBar": fooBar, "plain": plain, "isIPv4": len}
    added = module_twins(namespace, ["fooBar", "plain", "isIPv4"])
    assert added == ["foo_bar", "is_ipv4"]
    assert namespace["foo_bar"] is fooBar
    assert namespace["is_ipv4"] is len


# -- options -----------------------------------------------------------------------------------


def test_options_from_a_dict_and_keywords() -> None:
    assert options() == {}
    assert options(None) == {}
    assert options({}) == {}
    assert options({"allowHalfOpen": True}) == {"allowHalfOpen": True}
    assert options({"allow_half_open": True}) == {"allowHalfOpen": True}
    assert options(pause_on_connect=True, port=0) == {"pauseOnConnect": True, "port": 0}
    assert options({"host": "::1"}, keep_alive_initial_delay=1000) == {
        "host": "::1",
        "keepAliveInitialDelay": 1000,
    }


def test_options_keywords_win_over_the_dict() -> None:
    assert options({"allowHalfOpen": False}, allow_half_open=True) == {"allowHalfOpen": True}
    assert options({"allow_half_open": False}, allowHalfOpen=True) == {"allowHalfOpen": True}


def test_options_returns_a_new_dict_and_keeps_values() -> None:
    given = {"no_delay": True, "lookup": print}
    result = options(given)
    assert result == {"noDelay": True, "lookup": print}
    assert result["lookup"] is print
    assert given == {"no_delay": True, "lookup": print}  # the caller's dict is untouched
    assert options(given) is not options(given)


def test_the_stream_events_and_timers_modules_have_their_twins() -> None:
    import twnet.events
    import twnet.stream
    import twnet.timers.promises

    for module in (twnet.stream, twnet.events, twnet.timers, twnet.timers.promises):
        for name in module.__all__:
            value = getattr(module, name)
            if _naming._is_public_camel(name) and callable(value) and not isinstance(value, type):
                assert snake(name) in module.__all__, f"{module.__name__}.{name}"
                assert getattr(module, snake(name)) is value
    assert twnet.stream.Transform.writable_length is twnet.stream.Transform.writableLength
    assert twnet.events.capture_rejections is twnet.events.captureRejections
    assert twnet.timers.promises.set_interval is twnet.timers.promises.setInterval
    assert (
        twnet.timers.promises.Scheduler.yield_
        is getattr(twnet.timers.promises.scheduler, "yield").__func__
    )

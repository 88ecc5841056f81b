"""Node 24's delay clamping and its warnings: over 2**31-1 ms, negative, NaN (each becomes
1 ms; the overflow warning every time, the others once); numeric strings as numbers; a
callback that is not a function refused; clearTimeout of anything; clearing by id."""

import json
import math
import warnings

from _parity import log

import twnet as net

# Python shows a warning once per place by default; Node emits the overflow warning each time.
warnings.simplefilter("always")
warnings.showwarning = lambda message, category, *_: log(
    "w", category.__name__, json.dumps(str(message))
)


def main():
    # Timers are set in the order they fire: a process paused between two calls cannot
    # reorder them.
    net.setTimeout(lambda: log("a", "overflow: 1 ms"), 2**31)
    net.setTimeout(lambda: log("a", "overflow again: 1 ms"), 2**40)
    net.setTimeout(lambda: log("a", "negative: 1 ms"), -5)
    net.setTimeout(lambda: log("a", "negative again"), -1)
    net.setTimeout(lambda: log("a", "NaN: 1 ms"), math.nan)
    net.setTimeout(lambda: log("a", "zero: 1 ms"), 0)
    net.setTimeout(lambda: log("a", "not a number: 1 ms"), "abc")
    net.setTimeout(lambda: log("a", "at 20 ms"), 20)
    net.setTimeout(lambda: log("a", "'40' is 40 ms"), "40")
    net.setTimeout(lambda: log("a", "max: never"), 2**31 - 1).unref()

    for name, fn in (
        ("setTimeout", net.setTimeout),
        ("setInterval", net.setInterval),
        ("setImmediate", net.setImmediate),
    ):
        for bad in (None, 5, "cb"):
            try:
                fn(bad, 1)
                log("b", name, "accepted", bad)
            except TypeError as e:
                log("b", name, "TypeError", e)

    for value in (None, None, "abc", 12345, {}):
        net.clearTimeout(value)
        net.clearInterval(value)
        net.clearImmediate(value)
    log("c", "clear* of anything: no error")

    by_id = net.setTimeout(lambda: log("c", "never: cleared by id"), 2)
    net.clearTimeout(str(int(by_id)))
    via_interval = net.setTimeout(lambda: log("c", "never: cleared by clearInterval"), 2)
    net.clearInterval(via_interval)
    immediate = net.setImmediate(lambda: log("c", "immediate not cleared by clearTimeout"))
    net.clearTimeout(immediate)


net.run(main)

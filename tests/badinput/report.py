"""Write the figures of a bad-input battery run into docs/reliability.md ("## Bad input").

Usage (from the repository root)::

    TWNET_BADINPUT_COLLECT=1 TWNET_BADINPUT_SUMMARY=/tmp/badinput.json \\
        python -m pytest tests/badinput
    python -m tests.badinput.report /tmp/badinput.json [docs/reliability.md]

The section is replaced from its heading to the next ``## `` heading; everything in it is
generated from the summary, so it is never edited by hand.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

HEADING = "## Bad input"
DOC = Path(__file__).resolve().parents[2] / "docs" / "reliability.md"

INTRO = """\
Every public call that takes an argument is tried with values of every type a caller can
pass, and its outcome is compared with what Node 24 does with the same values
(`tests/badinput/`). Hypothesis draws the values (derandomized: the same values on every run):
wrong types, NaN, ±Infinity and -0, huge and negative integers, booleans for numbers, None,
the spellings of numbers on which Python and JavaScript disagree (`'\\u0660\\u0661'`, `'1_000'`,
`'\\ufeff80'`, `' 12 '`, `'0x1f'`, `'1e3'`, `''`, `'Infinity'`), bytes, nested lists and
dicts, unknown option keys and snake_case twins, functions and other objects. One Node 24
process, started once per run, makes each call (`tests/badinput/oracle.js`: values travel as
JSON tagged with their JavaScript type, a Python None is tried as both `undefined` and `null`)
and reports what it threw, or for a listen whether it ended in `'listening'` or which
`'error'`. twnet must do the same: both accept, or both raise the same family (`TypeError` ↔
`TypeError`, `RangeError` ↔ `ValueError`, a `twnet.NodeError` in every case) with the same
`code` and the same message up to where it quotes the value. Around every case twnet must
leave nothing behind: the call runs under a deadline, descriptors are counted before and
after, no DelayedCall may stay pending, a listen that raised leaves no half-listening server
(a valid `listen()` works next) and a connect that raised leaves no socket connecting. No
case touches the network: names other than `localhost` are never resolved, and every listen
binds 127.0.0.1 port 0 whatever was asked, on both sides (what was asked is compared).
"""


def render(summary: dict[str, Any]) -> str:
    """The section's text for a run's *summary* (as tests/badinput writes it)."""
    lines = [HEADING, "", INTRO]
    differences = summary["differences"]
    deliberate = summary["deliberate"]
    lines += [
        f"Figures of the last run (Node {summary['node']}, "
        f"{summary['examples_per_call']} values per call; "
        "`python -m tests.badinput.report` writes them):",
        "",
        "| | |",
        "| --- | --- |",
        f"| Calls covered | {summary['calls']} |",
        f"| Values tried | {summary['values_tried']} |",
        f"| Values compared with Node | {summary['values_compared']} |",
        f"| Differences | {differences}"
        + (f" ({deliberate} deliberate, see docs/errors.rst)" if deliberate else "")
        + " |",
        "",
    ]
    if differences:
        by_call = Counter(d["call"] for d in summary["difference_list"])
        lines += [
            "Differences by call (a deliberate one is documented with its reason in "
            "docs/errors.rst; any other is a bug being fixed):",
            "",
            "| Call | Values that differ |",
            "| --- | --- |",
        ]
        lines += [f"| `{call}` | {n} |" for call, n in sorted(by_call.items())]
        lines.append("")
    lines += [
        "The calls covered:",
        "",
        "| Call | Values tried | Compared with Node |",
        "| --- | --- | --- |",
    ]
    for call, counts in summary["per_call"].items():
        lines.append(f"| `{call}` | {counts['tried']} | {counts['compared']} |")
    lines.append("")
    return "\n".join(lines)


def update(document: str, section: str) -> str:
    """*document* with its "## Bad input" section replaced by *section* (or appended)."""
    start = document.find(HEADING + "\n")
    if start < 0:
        return document.rstrip("\n") + "\n\n" + section
    end = document.find("\n## ", start + len(HEADING))
    rest = "" if end < 0 else document[end + 1 :]
    return document[:start] + section + ("\n" + rest if rest else "")


def main(argv: list[str]) -> int:
    if not 1 <= len(argv) <= 2:
        print(__doc__, file=sys.stderr)
        return 2
    summary = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    doc = Path(argv[1]) if len(argv) > 1 else DOC
    doc.write_text(update(doc.read_text(encoding="utf-8"), render(summary)), encoding="utf-8")
    print(f"{doc}: {summary['calls']} calls, {summary['differences']} differences")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

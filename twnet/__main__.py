"""``python -m twnet``: the spec's echo server and a netcat-like client (see :mod:`twnet._cli`)."""

from __future__ import annotations

import sys

from twnet._cli import main

if __name__ == "__main__":
    sys.exit(main())

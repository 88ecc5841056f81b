"""twnet: Node.js's ``net`` module for Python, built on Twisted.

``import twnet as net`` gives the whole ``net`` API at the top level; ``from twnet import net``
gives the same objects, mirroring ``const net = require('net')``.
"""

from __future__ import annotations

from twnet import net
from twnet.net import *  # noqa: F403
from twnet.net import __all__ as _net_all

__all__ = ["net", *_net_all]
__version__ = "0.1.0"

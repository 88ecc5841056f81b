"""Under tox, trial tests the installed wheel, not the checkout (tox.ini's trial env runs a
copy of tests_trial/ outside the checkout and sets TWNET_TEST_INSTALLED and TWNET_CHECKOUT)."""

from __future__ import annotations

import os
from pathlib import Path

from twisted.trial import unittest

import twnet


class InstalledTwnet(unittest.TestCase):
    def test_twnet_is_not_imported_from_the_checkout(self) -> None:
        checkout = os.environ.get("TWNET_CHECKOUT")
        if not os.environ.get("TWNET_TEST_INSTALLED") or not checkout:
            raise unittest.SkipTest("run from the checkout, not under tox")
        package = Path(twnet.__file__).resolve().parent
        # (.tox/ may sit inside the checkout: what must not be used is its twnet/)
        self.assertNotEqual(package, (Path(checkout) / "twnet").resolve())
        self.assertIn("site-packages", package.parts)

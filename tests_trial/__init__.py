"""twnet's trial suite: run with ``python -m twisted.trial tests_trial`` (tox env ``trial``)."""

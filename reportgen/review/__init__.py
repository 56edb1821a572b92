"""The review cycle: what a deck reads (its content hash), sign-offs, and the release gate.

content.py          the content hash of everything one edition of a deck reads
acknowledgements.py ``acknowledgements.yaml``: warnings the IR team has accepted, with why
translations.py     the hash of the English text a translation was reviewed against
approvals.py        ``approvals/<quarter>.yaml``: who signed off which slides of which content
gate.py             every item still open before a deck may be released
"""

"""Deterministic checks: one module per family, one registry of stable codes.

Entry points:

* :func:`check_dictionaries` checks whole files (``synbot check``);
* :func:`check_changed` checks only the given rules of an already-indexed dictionary
  (the review of an MR diff), so a 100-line diff against a huge dictionary stays fast.
"""

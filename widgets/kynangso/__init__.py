"""Kỹ Năng Số: practise online public services and QR payments.

Layers, each importing only those below it: ``domain`` (pure Python rules),
``sandbox`` (the persistent simulated world), ``ui`` and ``grading``.
Nothing heavy is imported here, so a Voila kernel stays small until a screen
needs pandas.
"""

__version__ = "0.1.0"

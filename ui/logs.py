"""Where the app's log records go: the server's stderr, once per process.

The `cxroi` package logger has only a NullHandler (a library leaves the choice to its
application), and ``ui``'s has none, so without this a page guard's traceback or a store's
logged cause would reach nobody. app.py calls `configure` on every run; it adds one
handler per logger, the first time only.
"""

from __future__ import annotations

import logging
import sys

LOGGERS = ("cxroi", "ui")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure(level: int = logging.INFO) -> None:
    """Send the ``cxroi`` and ``ui`` loggers' records to stderr (idempotent across reruns)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if any(not isinstance(handler, logging.NullHandler) for handler in logger.handlers):
            continue  # someone (a test, a host process) already chose where it goes,
                      # or an earlier run of app.py did
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(FORMAT))
        logger.addHandler(handler)
        if logger.level == logging.NOTSET or logger.level > level:
            logger.setLevel(level)

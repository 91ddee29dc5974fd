"""Whether the server is still warming up (`ui.serve.warm`).

A visitor who arrives while the warm-up runs waits for it (at most `WAIT_SECONDS`) instead
of building the same report and charts beside it: on two cores the two builds would share
one interpreter and both finish later. Nothing waits unless a server began warming up (the
tests, ``streamlit run app.py``). Only the standard library, so the server can signal before
its health check answers.
"""

from __future__ import annotations

import threading

__all__ = ["WAIT_SECONDS", "begin", "done", "wait"]

WAIT_SECONDS = 30.0
"""The longest a visitor waits; after it, the visitor builds what it needs itself."""

_READY = threading.Event()
_READY.set()


def begin() -> None:
    """The warm-up starts: visitors from now on wait for `done`."""
    _READY.clear()


def done() -> None:
    """The warm-up has finished (or failed): nobody waits any more."""
    _READY.set()


def wait() -> bool:
    """Wait for a running warm-up; True when none is running (any more)."""
    return _READY.wait(WAIT_SECONDS)

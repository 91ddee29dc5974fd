"""ui/logs.py: cxroi's and ui's records reach stderr through one handler, however many runs."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from ui import logs


@pytest.fixture
def bare_loggers() -> Iterator[None]:
    """The two loggers as a fresh process has them (cxroi: a NullHandler; ui: nothing)."""
    saved = {name: (logging.getLogger(name).handlers[:], logging.getLogger(name).level)
             for name in logs.LOGGERS}
    for name in logs.LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers = [logging.NullHandler()] if name == "cxroi" else []
        logger.setLevel(logging.NOTSET)
    yield
    for name, (handlers, level) in saved.items():
        logging.getLogger(name).handlers = handlers
        logging.getLogger(name).setLevel(level)


def _streams(name: str) -> list[logging.Handler]:
    return [h for h in logging.getLogger(name).handlers if not isinstance(h, logging.NullHandler)]


def test_configure_adds_one_stderr_handler_per_logger_once(bare_loggers):
    for _ in range(3):  # app.py calls it on every rerun
        logs.configure()
    for name in logs.LOGGERS:
        (handler,) = _streams(name)
        assert isinstance(handler, logging.StreamHandler)


def test_a_guarded_failure_reaches_stderr_with_its_traceback(bare_loggers, capsys):
    logs.configure()
    try:
        {}["missing"]
    except KeyError:
        logging.getLogger("ui.widgets").exception("The iceberg failed")
    logging.getLogger("cxroi.store").warning("the database is in use")
    err = capsys.readouterr().err
    assert "ERROR ui.widgets: The iceberg failed" in err
    assert "Traceback (most recent call last)" in err and "KeyError: 'missing'" in err
    assert "WARNING cxroi.store: the database is in use" in err


def test_a_handler_chosen_elsewhere_is_left_alone(bare_loggers):
    chosen = logging.StreamHandler()
    logging.getLogger("ui").addHandler(chosen)
    logs.configure()
    assert _streams("ui") == [chosen]
    assert len(_streams("cxroi")) == 1

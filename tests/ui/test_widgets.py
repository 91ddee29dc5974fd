"""ui/widgets.py: `guarded` shows one plain sentence and logs the whole traceback."""

from __future__ import annotations

import logging

from streamlit.testing.v1 import AppTest

GUARDED_PAGE = '''
from ui.widgets import guarded

def compute_the_figure():
    return {}["missing"]

with guarded("The iceberg"):
    compute_the_figure()
'''

DOMAIN_ERROR_PAGE = '''
from cxroi.models import CxroiError
from ui.widgets import guarded

with guarded("The iceberg"):
    raise CxroiError("Upload a quarter of metrics first.")
'''


def test_an_unexpected_failure_is_one_sentence_on_screen_and_a_traceback_in_the_log(caplog):
    with caplog.at_level(logging.ERROR, logger="ui.widgets"):
        at = AppTest.from_string(GUARDED_PAGE, default_timeout=30).run()
    assert not at.exception, "no traceback box"
    assert [e.value for e in at.error] == [
        "The iceberg failed (KeyError). Reload the page; if it persists, check the data with "
        "`python -m cxroi report --json`."]
    screen = "\n".join(str(e.value) for e in at.error)
    assert "Traceback" not in screen and "compute_the_figure" not in screen
    (record,) = [r for r in caplog.records if r.name == "ui.widgets"]
    assert record.levelno == logging.ERROR
    assert record.getMessage() == "The iceberg failed"
    assert record.exc_info is not None and record.exc_info[0] is KeyError
    logged = caplog.text
    assert "Traceback (most recent call last)" in logged
    assert "compute_the_figure" in logged and "KeyError: 'missing'" in logged


def test_a_domain_error_says_what_to_do_and_logs_nothing(caplog):
    with caplog.at_level(logging.DEBUG, logger="ui.widgets"):
        at = AppTest.from_string(DOMAIN_ERROR_PAGE, default_timeout=30).run()
    assert not at.exception
    assert [e.value for e in at.error] == ["The iceberg: Upload a quarter of metrics first."]
    assert not [r for r in caplog.records if r.name == "ui.widgets"]

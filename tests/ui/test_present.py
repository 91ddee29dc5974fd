"""ui/present.py through AppTest: the presentation view app.py shows for ``?present=1``."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.pages.test_views import app, figures, param


def test_presentation_view(app_db):
    at = app(present="1").run()
    assert not at.exception
    assert not at.sidebar.selectbox, "no controls in the presentation view"
    assert len(figures(at)) == 1
    first = figures(at)[0]["layout"]["title"]["text"]
    at.button(key="present.next").click().run()
    assert figures(at)[0]["layout"]["title"]["text"] != first
    assert param(at, "slide") == ["2"]
    for _ in range(5):  # slides 3 to 7
        at.button(key="present.next").click().run()
        assert not at.exception and not at.error
        fig = figures(at)[0]
        assert any(a.get("name") == "footnote" for a in fig["layout"]["annotations"])
    assert at.button(key="present.next").disabled, "the last slide"
    at.button(key="present.exit").click().run()
    assert at.sidebar.selectbox, "the controls are back"
    assert "present" not in at.query_params


def test_the_presentation_view_renders_alone(app_db):
    """Without app.py's frame (no sidebar, no per-run memo) it still shows its first slide."""
    at = AppTest.from_string("from ui.present import render\nrender()\n",
                             default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert len(figures(at)) == 1
    assert [b.key for b in at.button] == ["present.back", "present.next", "present.exit"]

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
    titles = []
    for _ in range(8):  # slides 3 to 10: the demo has ratings, themes and plans
        at.button(key="present.next").click().run()
        assert not at.exception and not at.error
        fig = figures(at)[0]
        assert any(a.get("name") == "footnote" for a in fig["layout"]["annotations"])
        titles.append(fig["layout"]["title"]["text"])
    assert at.button(key="present.next").disabled, "the last slide"
    assert param(at, "slide") == ["10"]
    # the drill-down: key drivers, the vital few's Pareto, the plans' timeline (their own
    # titles, from wording), at the presentation's larger type
    assert "explains" in titles[-3] and "likelihood to recommend" in titles[-3]
    assert "of the themed money" in titles[-2]
    assert titles[-1].startswith("3 action plans")
    assert fig["layout"]["font"]["size"] > 16 and fig["layout"].get("height") is None
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



def test_the_drill_down_slides_appear_only_with_their_data(monkeypatch):
    """Without ratings, themes or plans the view has the seven slides of "how big"; each
    drill-down slide comes with its own data, in the deck's order."""
    from types import SimpleNamespace

    import ui.present as present

    assert [kind for kind, _ in present.SLIDES[-3:]] == list(present.DRILL_DOWN)
    bare = SimpleNamespace(segment="All", themes=None, plans=())
    monkeypatch.setattr(present, "drill_report", lambda: bare)
    monkeypatch.setattr(present, "meeting_drivers", lambda segment: None)
    assert [kind for kind, _ in present.slides()] == [kind for kind, _ in present.SLIDES[:7]]
    themed = SimpleNamespace(segment="All", themes=SimpleNamespace(items=("a theme",)),
                             plans=("a plan",))
    monkeypatch.setattr(present, "drill_report", lambda: themed)
    assert [kind for kind, _ in present.slides()][7:] == ["pareto", "plans_timeline"]
    monkeypatch.setattr(present, "meeting_drivers",
                        lambda segment: SimpleNamespace(drivers=("a driver",)))
    assert [kind for kind, _ in present.slides()][7:] == list(present.DRILL_DOWN)

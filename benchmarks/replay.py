"""The bare twin of a page: a generated Streamlit script that draws what the page drew, and
nothing else, from prebuilt parts.

`bare_script` walks the element tree of a page that AppTest has run (the main area and the
sidebar) and writes a script that makes the same calls in the same layout: the same titles,
captions and metric cards with their text, the same Plotly figures (their specs rebuilt once,
as figures whose plain dict is made once, like the app's `ui.loaders.Prepared`), the same
tables (the frames, prebuilt), the same widgets with their labels, options and keys (so the
benchmark's widget change works on both), inside the same columns, expanders, tabs and
forms. It reads no data, builds no figure and keeps no state: what a rerun of the page costs
beyond its twin's is cxroi's own overhead (the frame, the loaders, the footnotes, the
wording).

| name | what |
|---|---|
| `bare_script` | (the script's source, the number of elements it draws) for a page run by AppTest |
| `PREBUILT` | the prebuilt figures and frames each generated script reads, by page |
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["bare_script", "PREBUILT"]

PREBUILT: dict[str, list[Any]] = {}
"""Per page: the objects its bare script draws (figures, frames), by position."""

_LABELLED = {"toggle": "", "checkbox": "", "text_input": "", "text_area": "",
             "number_input": ", value=None", "date_input": "", "button": "",
             "download_button": ", b''", "file_uploader": ""}
"""Widgets drawn from their label and key alone: kind -> what goes between the two."""

_TEXT = {"title", "header", "subheader", "markdown", "caption", "text", "info", "warning",
         "success", "error", "exception"}


def _figure(spec: dict):
    """The figure rebuilt once, its plain dict made once (`ui.loaders.Prepared`, as the app)."""
    import plotly.graph_objects as go

    from ui.loaders import Prepared

    return Prepared(go.Figure(spec))


class _Writer:
    def __init__(self, page: str) -> None:
        self.page = page
        self.lines: list[str] = []
        self.parts: list[Any] = []
        self.count = 0
        self.widget = 0

    def part(self, value: Any) -> str:
        self.parts.append(value)
        return f"P[{len(self.parts) - 1}]"

    def key(self, node) -> str:
        key = getattr(node, "key", None)
        if key:
            return repr(key)
        self.widget += 1
        return repr(f"bare.{self.widget}")

    def emit(self, depth: int, code: str) -> None:
        self.lines.append("    " * depth + code)

    def block(self, node, depth: int) -> None:
        children = list(getattr(node, "children", {}).values())
        if not children:
            self.emit(depth, "pass")
        for child in children:
            self.node(child, depth)

    def split(self, depth: int, call: str, parts: list) -> None:
        """Columns or tabs: ``call`` makes the parts, each part's children go inside it."""
        name = f"s{len(self.lines)}"
        self.emit(depth, f"{name} = {call}")
        for i, part in enumerate(parts):
            self.emit(depth, f"with {name}[{i}]:")
            self.block(part, depth + 1)

    def node(self, node, depth: int) -> None:  # noqa: C901 - one branch per element type
        kind = node.type
        proto = getattr(node, "proto", None)
        if kind == "flex_container" and all(c.type == "column" for c in node.children.values()):
            columns = list(node.children.values())
            weights = [c.weight or 1 for c in columns]
            border = any(getattr(c.proto, "show_border", False) for c in columns)
            self.split(depth, f"st.columns({weights!r}, border={border})", columns)
            return
        if kind == "flex_container" or kind == "vertical":
            self.emit(depth, "with st.container():")
            self.block(node, depth + 1)
            return
        if kind == "expandable":
            self.emit(depth, f"with st.expander({node.label!r}):")
            self.block(node, depth + 1)
            return
        if kind == "tab_container":
            tabs = list(node.children.values())
            self.split(depth, f"st.tabs({[tab.label for tab in tabs]!r})", tabs)
            return
        if kind == "form":
            form_id = getattr(proto, "form_id", None) or proto.form.form_id
            self.emit(depth, f"with st.form({form_id!r}):")
            self.block(node, depth + 1)
            return
        self.count += 1
        if kind in _TEXT:
            call = "text" if kind == "exception" else kind
            self.emit(depth, f"st.{call}({str(node.value)!r})")
        elif kind == "metric":
            delta = proto.body and proto.delta
            self.emit(depth, f"st.metric({proto.label!r}, {proto.body!r}, delta={delta or None!r}, "
                             f"delta_color='off')")
        elif kind == "plotly_chart":
            figure = self.part(_figure(json.loads(proto.spec)))
            config = json.loads(proto.config) if proto.config else {}
            self.emit(depth, f"st.plotly_chart({figure}, width='stretch', theme=None, "
                             f"config={config!r}, key={self.key(node)})")
        elif kind == "dataframe":
            self.emit(depth, f"st.dataframe({self.part(node.value)}, hide_index=True)")
        elif kind == "table":
            self.emit(depth, f"st.table({self.part(node.value)})")
        elif kind == "selectbox":
            options = list(node.options)
            index = node.index if node.index is not None else 0
            self.emit(depth, f"st.selectbox({node.label!r}, {options!r}, index={index}, "
                             f"key={self.key(node)})")
        elif kind == "multiselect":
            self.emit(depth, f"st.multiselect({node.label!r}, {list(node.options)!r}, "
                             f"key={self.key(node)})")
        elif kind == "button_group":
            options = [o.content for o in proto.options]
            mode = "multi" if proto.click_mode == 1 else "single"
            self.emit(depth, f"st.segmented_control({node.label or 'choice'!r}, {options!r}, "
                             f"selection_mode={mode!r}, key={self.key(node)})")
        elif kind in _LABELLED:
            call = kind
            if kind == "button" and proto.is_form_submitter:
                call = "form_submit_button"
            extra = (f", value={bool(node.value)}" if kind in ("toggle", "checkbox")
                     else _LABELLED[kind])
            self.emit(depth, f"st.{call}({proto.label!r}{extra}, key={self.key(node)})")
        elif kind == "page_link":
            self.emit(depth, f"st.page_link('https://example.com', label={proto.label!r})")
        else:  # anything else: one element of text in its place
            self.emit(depth, f"st.text({kind!r})")


def bare_script(page: str, at) -> tuple[str, int]:
    """The source of ``page``'s bare twin from its AppTest ``at`` (after a run), and how many
    elements it draws; its prebuilt parts go to ``PREBUILT[page]``."""
    writer = _Writer(page)
    writer.emit(0, "import streamlit as st")
    writer.emit(0, "from benchmarks.replay import PREBUILT")
    writer.emit(0, f"P = PREBUILT[{page!r}]")
    writer.emit(0, "st.set_page_config(layout='wide')")
    writer.block(at.main, 0)
    if list(at.sidebar.children.values()):
        writer.emit(0, "with st.sidebar:")
        writer.block(at.sidebar, 1)
    PREBUILT[page] = writer.parts
    return "\n".join(writer.lines) + "\n", writer.count

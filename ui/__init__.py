"""The Streamlit glue the pages share with app.py; `cxroi` never imports it.

=============  ====================================================================
module         what it holds
=============  ====================================================================
`state`        session keys, the pages' choices in the URL, the per-run memo, the frame
`loaders`      the store handle and the caches keyed by its data version
`editing`      finance's draft of the assumptions; saving and restoring scenarios
`widgets`      charts on screen, download buttons, `guarded`
`present`      the presentation view app.py shows instead of a page
`logs`         where cxroi's and ui's log records go (the server's stderr)
`warming`      whether the server still warms up (a first visitor waits for it)
=============  ====================================================================

The arrows point one way: ``present -> widgets -> loaders -> state`` and
``editing -> loaders -> state``; nothing here imports ``app`` or a page.
"""

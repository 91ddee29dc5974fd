"""The shared sentences: one phrase means one number, wherever it is said."""

from __future__ import annotations

import re

import pytest

from cxroi import wording
from cxroi.format import multiple
from cxroi.models import Assumptions
from cxroi.roi import iceberg

BERG = iceberg({"service_contacts": 1000, "customers_lost": 10}, Assumptions(), period="2026Q1")
# visible 8,000; hidden 10 x 0.5 x (2,880 + 400) = 16,400: hidden is 2.05x the tip (total 3.05x)


def test_x_the_tip_is_hidden_over_visible_in_every_sentence():
    for sentence in (wording.iceberg_headline(BERG), wording.hidden_takeaway(BERG)):
        assert re.findall(r"[\d.]+x the visible tip", sentence) == ["2.0x the visible tip"]
    assert multiple(BERG.hidden_multiple) == "2.0x"  # 16,400 / 8,000 = 2.05, shown as 2.0x


@pytest.mark.parametrize(("months", "short", "long"), [
    (None, "never", "never pays back"),
    (0.35, "0.3 months", "pays back in 0.3 months"),
    (14.25, "14.2 months", "pays back in 14.2 months"),
])
def test_payback_reads_the_same_everywhere(months, short, long):
    assert wording.payback(months) == short
    assert wording.pays_back(months) == long


def test_effort_and_loop_subtitles_name_their_target():
    assert wording.effort_subtitle("2026Q1", 0.5).endswith("against the target of 50%")
    assert wording.loop_subtitle(None, 0.4).startswith("No period:")

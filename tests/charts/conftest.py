"""The iceberg every chart test starts from."""

from __future__ import annotations

import pytest

from cxroi.models import ALL, Assumptions
from cxroi.roi import iceberg

from .common import METRICS


@pytest.fixture
def berg():
    return iceberg(METRICS, Assumptions(), period="2026Q1", segment=ALL)

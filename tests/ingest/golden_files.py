"""Messy uploads whose problem lists and canonical rows were recorded before the import was
made faster (tests/ingest/golden.json): the rules must report the same, row for row."""

from __future__ import annotations

_METRICS_HEADER = "period,segment,metric,value,unit,higher_is_better\n"

_MESSY_METRICS = (
    "Q1 figures exported 2026-04-02\n"
    + _METRICS_HEADER
    + "2026Q1,Retail,Customers,\"12,000\",,\n"
    + "2026-Q1,Retail,customers,11000,,\n"                 # duplicate of the row above
    + "Q5 2026,Retail,returns,3,count,\n"                  # bad period
    + "2026Q1,,returns,3,count,\n"                         # empty segment
    + "2026Q1,Online,returns,-3,count,\n"                  # negative
    + "2026Q1,Online,hold time,4.2%,hours,\n"              # percent in hours
    + "2026Q1,Online,billing_share,12%,percent,yes\n"
    + "2026Q1,Online,refunds_credits,$1,234.50,money,\n"   # unquoted comma: too wide
    + "2026Q1,Online,service contacts,n/a,,\n"             # not a number
    + "2026Q1,Online,escalations,inf,,\n"
    + "2026Q1,Online,revenue,1e13,,\n"                     # too large
    + "2026Q1,Online,promoters,12,percent,\n"              # canonical metric in percent
    + "2026Q1,Online,custom,5,furlongs,maybe\n"            # bad unit, bad flag
    + "2026Q1,Online,custom2,5,,\n"                        # unit required
    + ",,,,,\n"                                            # an empty row is ignored
    + "2026Q1,Online,=cmd,1,count,\n"
    + "2026Q1,Online\x01,returns,1,count,\n"               # control character
    + "2026Q2,Online,returns,\"1,5\",count,\n"
)

_GOOD_METRICS = (
    _METRICS_HEADER
    + "2026Q1,Retail,Customers,\"12,000\",,\n"
    + "q2/2026,Retail,customers,11000,,false\n"
    + "2026-03-31,Online,Hold Time,4.5,hours,\n"
    + "2026 Q1,All,billing_share,12%,percent,yes\n"
    + "2026Q1,Online,refunds_credits,\"$1,234.50\",money,\n"
    + ",,,,,\n"
)

_SEMICOLON = (
    "period;segment;metric;value;unit\n"
    + "2026Q1;Retail;returns;4,5;count\n"
    + "2026Q1;Online;returns;1.500;count\n"                # ambiguous
    + "2026Q1;Online;refunds_credits;61.250,00;money\n"
    + "2026Q1;All;refunds_credits;61 250,00;money\n"
    + "2026Q2;All;returns;4.2;count\n"
)

_EFFORT = (
    "period,department,tier,hours,budget,loop\n"
    + "2026Q1,Support,TM,120,,inner\n"
    + "2026Q1,Support,Experience Leadership,40,1000,outer\n"
    + "2026Q1,Support,XX,40,,sideways\n"
    + "2026Q1,Support,tm,10%,,inner\n"
    + "2026Q1,Support,TM,5,,inner\n"
)

_WIDE = (
    "period,segment,respondent,Recommend,Delivery,Support\n"
    + "2026Q1,Retail,r1,9,8,\n"
    + "2026Q1,Retail,r2,6,,7\n"
    + "2026Q1,Retail,r1,9,,\n"                            # duplicate (recommend)
    + "2026Q1,Retail,r3,80%,x,1e13\n"
    + "2026Q1,,r4,5,5,5\n"
    + "2026Q9,Retail,,5,5,5\n"
    + ",,,,,\n"
    + "2026Q1,Online,r1,-3,2.5,\n"
)

_WIDE_GOOD = (
    "period,segment,respondent,Recommend,Delivery,Support\n"
    + "2026Q1,Retail,r1,9,8,\n"
    + "2026Q1,Retail,r2,6,,7\n"
    + "2026Q1,Retail, r3 ,,,\n"
    + "2026-Q1,Online,r1,-3,2.5,10\n"
    + ",,,,,\n"
)

_LONG = (
    "period,segment,respondent,item,score\n"
    + "2026Q1,Retail,r1,Recommend,9\n"
    + "2026Q1,Retail,r1,recommend,8\n"
    + "2026Q1,Retail,r2,Delivery,\n"
    + "2026Q1,Retail,r2,,4\n"
)

FILES: dict[str, tuple[str, str]] = {
    "messy_metrics.csv": ("metrics", _MESSY_METRICS),
    "good_metrics.csv": ("metrics", _GOOD_METRICS),
    "semicolon_metrics.csv": ("metrics", _SEMICOLON),
    "effort.csv": ("effort", _EFFORT),
    "wide_ratings.csv": ("ratings", _WIDE),
    "wide_ratings_good.csv": ("ratings", _WIDE_GOOD),
    "long_ratings.csv": ("ratings", _LONG),
}
"""File name -> (kind, text)."""

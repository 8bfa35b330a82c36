"""Thai calendar facts: the Buddhist era, and ages from birth years."""

from __future__ import annotations

from datetime import datetime, timezone

from nlp.thaitime import MAX_AGE, MIN_AGE, age_from_birth_year, be_year

NOW = datetime(2026, 12, 6, 12, tzinfo=timezone.utc)  # 2569 BE


def test_the_buddhist_era_is_543_years_ahead_in_bangkok():
    assert be_year(NOW) == 2569
    # 31 Dec 20:00 UTC is already New Year's Day in Bangkok.
    assert be_year(datetime(2026, 12, 31, 20, tzinfo=timezone.utc)) == 2570


def test_an_age_from_a_birth_year_is_kept_only_when_plausible_design_3():
    assert (MIN_AGE, MAX_AGE) == (5, 99)
    assert age_from_birth_year(2552, NOW) == 17
    assert age_from_birth_year(2569 - MIN_AGE, NOW) == MIN_AGE
    assert age_from_birth_year(2569 - MAX_AGE, NOW) == MAX_AGE
    for year in (2569 - MIN_AGE + 1, 2569 - MAX_AGE - 1, 2569, 2600):
        assert age_from_birth_year(year, NOW) is None

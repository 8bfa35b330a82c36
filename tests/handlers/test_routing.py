"""Routing rules (DESIGN §4), table-driven and pure."""

from __future__ import annotations

import pytest

from handlers.routing import NoProvince, compulsory_age, next_level, route


@pytest.mark.parametrize(
    "grade, status, expected",
    [
        (None, None, "primary"), ("none", None, "primary"), ("p4", "left_during", "primary"), ("p6", "left_during", "primary"),
        ("p6", "completed", "lower_secondary"), ("m1", "left_during", "lower_secondary"), ("m3", "left_during", "lower_secondary"),
        ("m2", "completed", "lower_secondary"), ("m3", "completed", "upper_secondary"), ("m4", "left_during", "upper_secondary"),
        ("m6", "left_during", "upper_secondary"), ("pvc2", "left_during", "upper_secondary"), ("m6", "completed", "completed_basic"),
        ("pvc3", "completed", "completed_basic"), ("primary", "left_during", "primary"), ("primary", "completed", "lower_secondary"),
        ("lower_secondary", "left_during", "lower_secondary"), ("lower_secondary", "completed", "upper_secondary"),
        ("upper_secondary", "left_during", "upper_secondary"), ("upper_secondary", "completed", "completed_basic"),
        ("vocational", "left_during", "upper_secondary"),
    ],
)
def test_next_level(grade, status, expected):
    assert next_level(grade, status) == expected


@pytest.mark.parametrize(
    "age, grade, status, expected",
    [
        (15, "m2", "left_during", True), (15, "m3", "completed", False), (15, "m3", "left_during", True), (16, "m1", "left_during", False),
        (12, "p6", "completed", True), (None, "m1", "left_during", False), (14, "lower_secondary", "completed", False), (13, None, None, True),
    ],
)
def test_compulsory_age(age, grade, status, expected):
    assert compulsory_age(age, grade, status) is expected


GROUPS = {"5208": "Cthoen", "52": "Clampang", "5001": "Cchiangmai-mueang"}


@pytest.mark.parametrize(
    "province, district, groups, admin, owner, delivered_to, group",
    [
        ("52", "5208", GROUPS, "Cadmin", "5208", "5208", "Cthoen"),
        ("52", "5205", GROUPS, "Cadmin", "5205", "52", "Clampang"),
        ("52", None, GROUPS, "Cadmin", "52", "52", "Clampang"),
        ("50", "5002", GROUPS, "Cadmin", "5002", "admin", "Cadmin"),
        ("50", "5002", GROUPS, None, "5002", None, None),
        (None, "5208", GROUPS, None, "5208", "5208", "Cthoen"),
    ],
)
def test_route(province, district, groups, admin, owner, delivered_to, group):
    decision = route(province, district, linked_groups=groups, admin_group=admin)
    assert (decision.office_code, decision.delivered_to, decision.group_id) == (owner, delivered_to, group)
    assert owner in decision.reason


def test_no_case_without_a_province():
    with pytest.raises(NoProvince):
        route(None, None, linked_groups={}, admin_group="Cadmin")

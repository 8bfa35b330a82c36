"""The learner's home among the places a message names (issue 11: home versus elsewhere, words inside
words): `nlp.places.mentions`, the learned judge of `nlp.placeroles` and what `extract_places` makes of them."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from nlp import placeroles, places
from nlp.normalize import normalize
from nlp.places import extract_places, mentions

TODAY = date(2026, 11, 22)


def _places(text: str) -> dict[str, str]:
    from nlp import understand

    entities = understand(text, today=TODAY).told
    return {k: v for k, v in entities.items() if k in ("province", "district", "subdistrict")}


# Transcript-like lines (text → the places read): the home said after a workplace, a trip, a relative's or
# a former home; place names inside ordinary words; the rules' readings the judge must keep.
HOME_VERSUS_ELSEWHERE = [
    ("ทำงานที่กรุงเทพ บ้านอยู่สุรินทร์", {"province": "32"}),
    ("Hello! I work in Bangkok but my home is in Surin. Where should I register?", {"province": "32"}),
    ("ไปค่ายลูกเสือที่กาญจนบุรีมา สนุกมาก", {}),
    ("ครูประจำชั้นเก่าอยู่ อ.เกาะคา แนะนำมาค่ะ หนูอยู่ อ.แจ้ห่ม ลำปาง", {"province": "52", "district": "5206"}),
    (
        "ทำไร่อ้อยอยู่ที่ อ.ด่านช้าง สุพรรณ แต่ตัวบ้านอยู่ อ.หนองหญ้าไซ ครับ",
        {"province": "72", "district": "7210"},
    ),
    (
        "เมื่อก่อนอยู่ บ้านแพ้ว ตอนนี้ย้ายไปอยู่กับแฟนที่ อ.กระทุ่มแบน สมุทรสาครแล้วครับ",
        {"province": "74", "district": "7402"},
    ),
    ("ขอเบอร์ศูนย์กศน.แถวแม่สายหน่อยครับ ผมทำงานอยู่ที่นั่น แต่บ้านอยู่เทิง", {"district": "5704"}),
    ("ผมเป็นคนพิมาย แต่ตอนนี้มาเช่าห้องอยู่ที่ปากช่องใกล้โรงงานครับ ย้ายมาถาวรแล้ว อายุ 24", {"district": "3021"}),
]
WORDS_INSIDE_WORDS = [
    ("โอนเงินผ่านธนาคารกรุงเทพได้ไหมคะ ค่าสมัคร", {}),
    ("ไปเดินจตุจักรมาเมื่อวาน เจอบูธกศน. เลยทักมาค่ะ อยากรู้ว่าเรียนกี่ปีจบ", {}),
    ("luk sao aryu 15 luk chai 17 tung song khon ork jak rongrian laew rian free mai ka", {}),
    ("mai kery rian loei krub ayu 14", {}),
    # a name right after ต. is the subdistrict's, not the province หนองบัว(ลำภู)
    ("บ้านอยู่ ต.หนองบัว อ.เมืองอุดรธานี ค่ะ", {"district": "4101", "subdistrict": "410104"}),
]
RULES_KEPT = [
    ("อ.เมือง ลำปาง", {"province": "52", "district": "5201"}),
    ("อยู่หนองบัว นครสวรรค์", {"province": "60", "district": "6004"}),
    ("กรุงเทพรถติดทุกวัน", {"province": "10"}),
    ("อยู่ อ.เมือง จ.ขอนแก่น", {"province": "40", "district": "4001"}),
    ("หนูอายุ 16 ออกตอน ม.2 อยู่ อ.เถิน ลำปางค่ะ", {"province": "52", "district": "5208"}),
]


@pytest.mark.parametrize(("text", "expected"), HOME_VERSUS_ELSEWHERE + WORDS_INSIDE_WORDS + RULES_KEPT)
def test_the_home_is_read_among_the_places_named(text: str, expected: dict[str, str]) -> None:
    assert _places(text) == expected


def test_mentions_carry_the_rules_verdict() -> None:
    said = mentions(normalize("ทำงานที่ อ.ศรีราชา ชลบุรี แต่บ้านอยู่ อ.พาน เชียงราย"))
    assert [(m.name, m.kind, m.home) for m in said] == [
        ("ศรีราชา", "district_marked", False),
        ("ชลบุรี", "province_word", False),
        ("พาน", "district_marked", True),
        ("เชียงราย", "province_word", True),
    ]


def test_without_a_judge_the_rules_decide() -> None:
    text = normalize("ทำงานที่ อ.ศรีราชา ชลบุรี แต่บ้านอยู่ อ.พาน เชียงราย")
    assert extract_places(text, judge=None) == {"province": "57", "district": "5705"}


def test_a_judge_ranks_the_places_it_keeps() -> None:
    """Of two districts kept, the one judged likelier is the home (the rules take the first said)."""
    text = normalize("อยู่ อ.ด่านช้าง แล้วก็อยู่ อ.หนองหญ้าไซ สุพรรณบุรี")
    assert extract_places(text, judge=None)["district"] == "7203"
    favour_last = extract_places(text, judge=lambda t, said: [0.6 + 0.1 * i for i in range(len(said))])
    assert favour_last["district"] == "7210"


def test_a_failing_reader_leaves_the_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> placeroles.Linear:
        raise RuntimeError("boom")

    monkeypatch.setattr(placeroles, "kept_reader", broken)
    text = normalize("ทำงานที่ชลบุรี บ้านอยู่ อ.พาน เชียงราย")
    assert extract_places(text) == extract_places(text, judge=None)


def test_kept_numbers_round_trip(tmp_path: Path) -> None:
    model = placeroles.Linear({"rule:True": 2.0, "c:work": -1.5}, -0.5, 0.5, 0.4, 0.5)
    path = tmp_path / "placeroles.npz"
    placeroles.save(model, path)
    with np.load(path, allow_pickle=False) as kept:  # numbers and strings only: nothing pickled
        assert all(kept[name].dtype != object for name in kept.files)
    again = placeroles.load(path)
    assert again == model


def test_a_stale_kept_file_is_not_used(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "placeroles.npz"
    placeroles.save(placeroles.Linear({}, 0.0), path)
    with np.load(path, allow_pickle=False) as kept:
        arrays = {name: kept[name] for name in kept.files}
    arrays["fingerprint"] = np.array("stale")
    np.savez_compressed(path, **arrays)
    with caplog.at_level(logging.WARNING, logger="nlp.placeroles"):
        assert placeroles.load(path) is None
    assert "stale" in caplog.text
    assert placeroles.load(tmp_path / "missing.npz") is None


def test_training_files_hold_no_blind_set() -> None:
    names = {path.name for path in placeroles.training_files()}
    assert not [name for name in names if name.startswith(("heldout", "chatter", "check11", "test."))]


def test_the_kept_reader_is_current() -> None:
    """nlp/data/placeroles.npz was fitted on today's labelled files and code (python -m nlp.placeroles --train)."""
    assert placeroles.load() is not None


def test_a_pasted_list_of_places_keeps_the_rules() -> None:
    model = placeroles.Linear({}, -10.0)  # would drop every place
    text = normalize(" ".join(["อยู่ลำปาง"] * (placeroles.MAX_MENTIONS + 1)))
    said = mentions(text)
    assert model.judge(text, said) == [float(m.home) for m in said]


def test_judging_is_fast() -> None:
    import time

    model = placeroles.kept_reader()
    if model is None:
        pytest.skip("no kept reader")
    text = normalize(
        "แม่ค่ะ ลูกชายอายุ 18 เรียนถึง ม.5 แล้วออกไปทำงานโรงงานที่ศรีราชา ชลบุรี ตอนนี้กลับมาอยู่บ้านที่ อ.พาน "
        "เชียงราย แล้ว เคยอยู่กับยายที่ขอนแก่นตอนเด็ก"
    )
    places.mentions(text)
    model.judge(text, places.mentions(text))  # warm
    started = time.perf_counter()
    for _ in range(50):
        model.judge(text, places.mentions(text))
    assert (time.perf_counter() - started) / 50 < 0.003

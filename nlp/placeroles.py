"""A learned reader of which place names in a message are the learner's home.

`nlp.places.mentions` finds every place name that reads as a word (a province, a district, marked or not)
and says whether the rules take it as home. A logistic regression scores each mention "is the learner's
home" from its context: the newmm tokens either side, cue words before it in its clause and right after it
(work, a trip, a relative, a former home, a birthplace, a school, a move, ตอนนี้/เคย …), the rules' verdict,
its kind and mark, where it stands among the other mentions, and whether a district and a province named
beside it agree. A mention counts as home when its score passes the threshold; `nlp.places` then resolves
districts and provinces from the mentions kept as it always has (DESIGN §3).

    python -m nlp.placeroles --cv      # cross-validation grouped by file: rules alone vs this reader
    python -m nlp.placeroles --train   # fit on every labelled file, keep the numbers in nlp/data/placeroles.npz

The kept file holds plain arrays (feature names, weights, the threshold) and a fingerprint of the training
files and of the code that makes the features; nothing pickled. scikit-learn is used only to fit: when the
kept file is stale, the reader is fitted at first use (a few seconds, with a warning to run --train), and if
that fails the rules alone decide (logged).
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import logging
import math
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from nlp.classifier import token_spans
from nlp.kept import ReadOnce
from nlp.places import Mention, _index

log = logging.getLogger(__name__)

DATA = Path(__file__).with_name("data")
MODEL_FILE = DATA / "placeroles.npz"
# Bump when the features change: a kept model of another version is not used.
FORMAT = 1
C = 0.3
THRESHOLD = 0.5
VETO = 0.4
TIE = "mean"
EVIDENCE = 0.5
# The features of the words around a mention (`Linear.said_against`).
_CONTEXT = ("l1:", "l2:", "l3:", "l12:", "r1:", "r2:", "c:", "b:", "n:", "a:", "last:", "p:", "in:", "clause_cut")
# More mentions than this (a pasted list of places) and the rules decide: reading stays cheap.
MAX_MENTIONS = 12
KEYS = ("province", "district", "subdistrict")
# Lines of the writers who never saw the rules weigh more: there the rules' verdict is a fair witness.
NEW_WRITERS_WEIGHT = 8.0


def training_files() -> tuple[Path, ...]:
    """The entity-labelled files: the development sets and the new writers' files. Never test.jsonl, the
    held-out or chatter sets, nor check11.jsonl."""
    files = [*sorted(DATA.glob("dev*.jsonl")), DATA / "entity_dev.jsonl", *sorted(DATA.glob("train_entities_*.jsonl"))]
    return tuple(path for path in files if path.exists())


# --- features -------------------------------------------------------------------------------------------


def _spans(text: str) -> list[tuple[int, int, str]]:
    """newmm tokens of `text` with their character offsets (`nlp.classifier.token_spans`)."""
    return token_spans(text)


# Cue families: words that tell what a place is to the learner.
_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("work", r"ทำงาน|งาน|รับจ้าง|ขาย|ร้าน|บริษัท|โรงงาน|โรงแรม|ค้า|ลูกจ้าง|กะ|เงินเดือน|work|job"),
        ("trip", r"เที่ยว|เยี่ยม|ค่าย|แวะ|ผ่าน|เดิน|ไปหา|ไปงาน|ไปร่วม|trip|visit"),
        ("from", r"ย้ายจาก|มาจาก|จากบ้าน|ย้ายออก|from"),
        ("moved_here", r"ย้ายมา|ย้ายกลับ|กลับมา|หลบมา|ย้ายไปอยู่|มาอยู่|moved"),
        ("before", r"เคย|ตอนเด็ก|ตอนนั้น|เมื่อก่อน|เดิม|สมัยก่อน|ก่อนหน้า|used to"),
        ("now", r"ตอนนี้|ปัจจุบัน|ปกติ|ล่าสุด|now"),
        ("birth", r"เกิด|born|บ้านเกิด|ภูมิลำเนา"),
        ("origin", r"เป็นคน|คน(?=\S)"),
        ("school", r"โรงเรียน|มหาลัย|มหาวิทยาลัย|วิทยาลัย|เรียน|school"),
        ("kin", r"พ่อ|แม่|ยาย|ย่า|ปู่|ป้า|ลุง|น้า|ญาติ|แฟน|สามี|ภรรยา|พี่|น้อง|เพื่อน|ตา(?![ก-๛])"),
        ("child", r"ลูก|หลาน"),
        ("self", r"ผม|หนู|ดิฉัน|ฉัน|เรา|ข่อย|เฮา|ตัวเอง|\bi\b|\bmy\b"),
        ("house", r"บ้าน|ทะเบียน|home|house"),
        ("live", r"อยู่|อาศัย|พัก|เช่า|live|stay"),
        ("at", r"ที่|แถว|ใน|\bin\b|\bat\b"),
        ("go", r"ไป|\bgo"),
        ("but", r"แต่|ส่วน|but"),
        ("deny", r"ไม่ใช่|ไม่ได้|ไม่|not"),
        (
            "place_other",
            r"ธนาคาร|สถาน|คุก|เรือนจำ|โรงพยาบาล|รพ|ตลาด|ห้าง|วัด|สนาม|สถานี|หอ|คอนโด|มหา|ศูนย์|ค่าย|"
            r"บ้านเด็ก|สโมสร|hospital",
        ),
        ("food", r"ก๋วยเตี๋ยว|ไก่|หมู|ข้าว|ขนม|อาหาร|ส้มตำ"),
        ("correct", r"แก้|จริงๆ|ที่ถูก|sorry|typed"),
        ("register", r"สมัคร|ลงทะเบียน|ศูนย์|กศน|สกร|register|office"),
    )
)
# Said anywhere in the message: a question to others, an advert, or talk of studying (the bot's errand).
_MESSAGE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("who", r"ใคร|anyone|who|แนะนำ"),
        ("sale", r"ขาย|ราคา|บาท|ให้เช่า|รับสอน|ติวเตอร์|โปร|ลดราคา|for sale"),
        ("study", r"เรียน|กศน|สกร|วุฒิ|สมัคร|ม\.\s*\d|ป\.\s*\d|study|school"),
        ("age", r"อายุ|\d\d\s*ปี|ขวบ"),
    )
)
_PAIR_GAP = re.compile(r"\s*(?:จ\.|จังหวัด|อ\.|อำเภอ|,)?\s*")
_CLAUSE = re.compile(r"(?:แต่|ส่วน|ตอนนี้|ปัจจุบัน|[,.!?]|\s{2,}|ค่ะ|ครับ|คะ|นะ|จ้า|เจ้า)")


Hits = dict[str, list[tuple[int, int]]]
# How far before and after a mention its cue words are looked for (characters).
_BEFORE, _AFTER = 40, 16


def _cue_hits(text: str, said: Sequence[Mention]) -> Hits:
    """Where each cue family is said in `text` around the mentions of `said` (found once a message, for
    all its mentions; the rest of a long message is not searched)."""
    regions: list[list[int]] = []
    for m in said:
        lo, hi = max(0, m.start - _BEFORE), min(len(text), m.end + _AFTER)
        if regions and lo <= regions[-1][1]:
            regions[-1][1] = max(regions[-1][1], hi)
        else:
            regions.append([lo, hi])
    return {name: [h.span() for lo, hi in regions for h in pattern.finditer(text, lo, hi)] for name, pattern in _CUES}


def _within(spans: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The last of `spans` (in order) that lies inside [start, end), if any."""
    at = bisect.bisect_right(spans, (end, end)) - 1
    while at >= 0 and spans[at][1] > end:
        at -= 1
    if at >= 0 and spans[at][0] >= start:
        return spans[at]
    return None


def _cue_features(text: str, m: Mention, hits: Hits) -> list[str]:
    feats: list[str] = []
    begin = max(0, m.start - _BEFORE)
    clause_at = begin
    for c in _CLAUSE.finditer(text, begin, m.start):
        if c.end() < m.start:
            clause_at = c.end()
    nearest: tuple[int, str] | None = None
    for name, _pattern in _CUES:
        spans = hits[name]
        last = _within(spans, begin, m.start)
        if last is None:
            if _within(spans, m.end, m.end + _AFTER):
                feats.append(f"a:{name}")
            continue
        feats.append(f"b:{name}")
        if last[0] >= clause_at:
            feats.append(f"c:{name}")
        if last[0] >= m.start - 12:
            feats.append(f"n:{name}")
        if _within(spans, m.end, m.end + _AFTER):
            feats.append(f"a:{name}")
        if nearest is None or last[1] > nearest[0]:
            nearest = (last[1], name)
    if nearest:
        feats.append(f"last:{nearest[1]}")
    if clause_at > begin:
        feats.append("clause_cut")
    return feats


def _kind(m: Mention) -> str:
    return "province" if m.kind.startswith("province") else "district"


def _codes(m: Mention) -> tuple[str, ...]:
    index = _index()
    if _kind(m) == "province":
        return (index.provinces[m.name],)
    if m.name == "เมือง":
        return tuple(index.mueang.values())
    return index.districts.get(m.name, ())


def _leads(text: str, said: Sequence[Mention], codes: Sequence[tuple[str, ...]]) -> list[int]:
    """For each mention, the first of the names said together with it: a district and its province said
    together ("อ.ศรีราชา ชลบุรี") are one place, read from the words before its first name."""
    lead = list(range(len(said)))
    for i in range(1, len(said)):
        a, b = said[i - 1], said[i]
        if (
            _kind(a) != _kind(b)
            and _PAIR_GAP.fullmatch(text[a.end : b.start])
            and {c[:2] for c in codes[i - 1]} & {c[:2] for c in codes[i]}
        ):
            lead[i] = lead[i - 1]
    return lead


def features(text: str, said: Sequence[Mention], spans: list[tuple[int, int, str]] | None = None) -> list[list[str]]:
    """The feature names of each mention of `said` in normalised `text`."""
    if spans is None:
        spans = _spans(text)
    starts = [s for s, _e, _t in spans]
    ends = [e for _s, e, _t in spans]
    start_set, end_set = set(starts), set(ends)
    hits = _cue_hits(text, said)
    codes = [_codes(m) for m in said]
    provinces_named = {c for m, cs in zip(said, codes, strict=True) if _kind(m) == "province" for c in cs}
    districts_named = {c[:2] for m, cs in zip(said, codes, strict=True) if _kind(m) == "district" for c in cs}
    home_rule = [m.home for m in said]
    index = _index()
    lead = _leads(text, said, codes)
    message = [f"m:{name}" for name, pattern in _MESSAGE_CUES if pattern.search(text)]
    out = []
    for i, m in enumerate(said):
        kind = _kind(m)
        f = [
            "bias",
            f"kind:{m.kind}",
            f"rule:{m.home}",
            f"kind_rule:{m.kind}:{m.home}",
            f"pos:{'only' if len(said) == 1 else 'first' if i == 0 else 'last' if i == len(said) - 1 else 'mid'}",
            f"nlen:{min(len(m.name), 8) // 2}",
        ]
        if m.name.isascii():
            f.append("ascii")
        if any(home_rule[j] for j in range(i + 1, len(said))):
            f.append("later_rule_home")
        if any(home_rule[j] for j in range(i)):
            f.append("earlier_rule_home")
        if m.kind == "province_word" and {c[:2] for c in index.districts.get(m.name, ())} & (
            provinces_named - set(codes[i])
        ):
            f.append("district_of_named")  # "อยู่หนองบัว นครสวรรค์": the nickname is a district of the other
        elif any(_kind(said[j]) == kind and codes[j] != codes[i] for j in range(i + 1, len(said))):
            f.append("later_other_same_kind")
        if any(_kind(said[j]) == kind and codes[j] != codes[i] for j in range(i)):
            f.append("earlier_other_same_kind")
        f.append(f"msg:{'short' if len(text) < 40 else 'long' if len(text) > 160 else 'mid'}")
        if not text[: m.start].strip():
            f.append("at_start")  # "เชียงใหม่หนาวแล้วนะ": said first, the place the message is from
        if kind == "district":
            agree = {c[:2] for c in codes[i]} & provinces_named
            f.append("agrees" if agree else "province_named_other" if provinces_named else "no_province_named")
            if len({c[:2] for c in codes[i]}) > 1:
                f.append("shared_name")
        else:
            f.append(
                "agrees" if codes[i][0] in districts_named else "district_named_other" if districts_named else "alone"
            )
        f.append(f"wstart:{m.start in start_set}")
        f.append(f"wend:{m.end in end_set or m.end == len(text)}")
        first_in = bisect.bisect_left(starts, m.start)
        inside = [t for _a, b, t in spans[first_in : bisect.bisect_right(starts, m.end)] if b <= m.end]
        f.append(f"ntok:{min(len(inside), 3)}:{'marked' if m.kind in ('province', 'district_marked') else 'bare'}")
        if len(inside) > 1:
            f.extend(f"in:{t}" for t in inside)
        last_left = bisect.bisect_right(ends, m.start)
        first_right = bisect.bisect_left(starts, m.end)
        left = [t for _s, _e, t in spans[max(0, last_left - 3) : last_left]]
        right = [t for _s, _e, t in spans[first_right : first_right + 2]]
        for k, token in enumerate(reversed(left), 1):
            f.append(f"l{k}:{token}")
        if left:
            f.append(f"l12:{'|'.join(left[-2:])}")
        for k, token in enumerate(right, 1):
            f.append(f"r{k}:{token}")
        if not right:
            f.append("r1:<end>")
        f.extend(message)
        if lead[i] != i:
            f.append("pair:second")
            f.extend(f"p:{x}" for x in _cue_features(text, said[lead[i]], hits))
        else:
            if i + 1 < len(said) and lead[i + 1] == i:
                f.append("pair:first")
            f.extend(_cue_features(text, m, hits))
        out.append(f)
    return out


# --- the model ----------------------------------------------------------------------------------------


@dataclass
class Linear:
    weights: dict[str, float]
    intercept: float
    threshold: float = THRESHOLD  # a mention the rules do not take as home is home from this score up
    veto: float = VETO  # a mention the rules take as home is dropped below this score
    evidence: float = EVIDENCE  # … and only when the words around it count this much against it

    def probability(self, feats: Sequence[str], shift: float = 0.0) -> float:
        z = self.intercept - shift + sum(self.weights.get(name, 0.0) for name in feats)
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def judge(self, text: str, said: Sequence[Mention]) -> list[float]:
        """How likely each mention of `said` names the learner's home, moved so that the threshold is 0.5
        (the rules' verdict for a pasted list)."""
        if len(said) > MAX_MENTIONS:
            return [float(m.home) for m in said]
        shifts = {
            True: math.log(self.veto / (1.0 - self.veto)),
            False: math.log(self.threshold / (1.0 - self.threshold)),
        }
        scores = []
        for m, f in zip(said, features(text, said), strict=True):
            score = self.probability(f, shifts[m.home])
            if m.home and score < 0.5 and self.said_against(f) > -self.evidence:
                score = 0.5  # nothing said around it against the rules' reading ("กรุงเทพรถติดทุกวัน"): it stands
            scores.append(score)
        if TIE:
            lead = _leads(text, said, [_codes(m) for m in said])
            for i, first in enumerate(lead):
                if first != i:
                    both = (scores[i] + scores[first]) / 2 if TIE == "mean" else max(scores[i], scores[first])
                    scores[i] = scores[first] = both
        return scores

    def said_against(self, feats: Sequence[str]) -> float:
        """What the words around a mention add to its score (its own kind, mark and place in the message
        left out)."""
        return sum(self.weights.get(name, 0.0) for name in feats if name.startswith(_CONTEXT))


def fit(rows: Sequence[list[str]], labels: Sequence[int], weights: Sequence[float], c: float = C) -> Linear:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    if len(set(labels)) < 2:
        return Linear({}, 10.0 if labels and labels[0] else -10.0)
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform([dict.fromkeys(r, 1) for r in rows])
    model = LogisticRegression(C=c, max_iter=3000)
    model.fit(matrix, list(labels), sample_weight=np.asarray(weights, dtype=float))
    names = vectorizer.get_feature_names_out()
    coef = model.coef_[0]
    return Linear({str(n): float(coef[j]) for j, n in enumerate(names) if coef[j]}, float(model.intercept_[0]))


# --- examples -----------------------------------------------------------------------------------------


@dataclass
class Example:
    file: str
    text: str  # the original line
    home_text: str  # normalised, as `nlp.places.extract_places` reads it
    gold: dict[str, Any]
    tags: list[str]
    said: list[Mention]
    feats: list[list[str]]
    labels: list[int]


def _label(m: Mention, gold: dict[str, Any], text: str) -> int:
    """1 when the mention names the gold home, 0 when not, -1 when the files disagree on it and it is left
    out of the fit: a province right after "อ.เมือง" ("อ.เมือง ลำปาง", "อ.เมืองอุบล") is labelled as
    named in some files and as inferred from the district (no province) in others."""
    codes = _codes(m)
    if _kind(m) == "province" and re.search(r"เมือง\s*$", text[max(0, m.start - 8) : m.start]):
        return -1
    if _kind(m) == "province":
        # "อยู่หนองบัว นครสวรรค์": a province's nickname that is the home district's name names it
        return int(gold.get("province") == codes[0] or gold.get("district") in _index().districts.get(m.name, ()))
    return int(gold.get("district") in codes)


def load_examples(paths: Sequence[Path] | None = None) -> list[Example]:
    from nlp.entities import learner_parts
    from nlp.normalize import normalize, safe_text
    from nlp.places import mentions

    examples = []
    for path in paths or training_files():
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            gold = {k: v for k, v in (row.get("entities") or {}).items() if k in KEYS}
            normalised = normalize(safe_text(row["text"]))
            _about, home_text, _two = learner_parts(normalised)
            said = mentions(home_text)
            feats = features(home_text, said) if said else []
            labels = [_label(m, gold, home_text) for m in said]
            examples.append(
                Example(path.name, row["text"], home_text, gold, list(row.get("tags") or []), said, feats, labels)
            )
    return examples


def weight(file: str) -> float:
    return NEW_WRITERS_WEIGHT if file.startswith("train_entities") else 1.0


def _fit_examples(examples: Sequence[Example], c: float = C) -> Linear:
    rows, labels, weights = [], [], []
    for e in examples:
        for feats, label in zip(e.feats, e.labels, strict=True):
            if label >= 0:
                rows.append(feats)
                labels.append(label)
                weights.append(weight(e.file))
    return fit(rows, labels, weights, c)


def _read(e: Example, judge: Linear | None) -> dict[str, Any]:
    from nlp.places import extract_places

    got = extract_places(e.home_text, judge=judge.judge if judge else None)
    return {k: v for k, v in got.items() if k in KEYS}


def cross_validate(
    examples: Sequence[Example],
    c: float = C,
    threshold: float = THRESHOLD,
    veto: float = VETO,
    evidence: float = EVIDENCE,
) -> list[dict[str, Any]]:
    """Each file read by a reader fitted on the other files."""
    predicted: list[dict[str, Any]] = [{} for _ in examples]
    for file in sorted({e.file for e in examples}):
        model = _fit_examples([e for e in examples if e.file != file], c)
        model.threshold, model.veto, model.evidence = threshold, veto, evidence
        for i, e in enumerate(examples):
            if e.file == file:
                predicted[i] = _read(e, model)
    return predicted


def report(examples: Sequence[Example], predicted: Sequence[dict[str, Any]], rules: Sequence[dict[str, Any]]) -> str:
    lines = [
        f"{'file':26} {'n':>5}  {'province':>13} {'district':>13} {'subdistrict':>13} {'exact':>13}  (rules → learned)"
    ]

    def row(name: str, idx: list[int]) -> None:
        if not idx:
            return
        cells = []
        for key in (*KEYS, "exact"):

            def right(d: dict[str, Any], e: Example, key: str = key) -> bool:
                return d == e.gold if key == "exact" else d.get(key) == e.gold.get(key)

            r = sum(right(rules[i], examples[i]) for i in idx) / len(idx)
            p = sum(right(predicted[i], examples[i]) for i in idx) / len(idx)
            cells.append(f"{r:.3f}→{p:.3f}")
        lines.append(f"{name:26} {len(idx):5}  " + " ".join(f"{c:>13}" for c in cells))

    for file in sorted({e.file for e in examples}):
        row(file, [i for i, e in enumerate(examples) if e.file == file])
    row("all", list(range(len(examples))))
    row("train_entities_*", [i for i, e in enumerate(examples) if e.file.startswith("train_entities")])
    for tag in ("home_vs_elsewhere", "words_in_words"):
        row(f"tag {tag}", [i for i, e in enumerate(examples) if tag in e.tags])
    return "\n".join(lines)


# --- the kept model -----------------------------------------------------------------------------------


def fingerprint(paths: Sequence[Path] | None = None) -> str:
    digest = hashlib.sha256(f"{FORMAT} {C} {THRESHOLD} {VETO} {EVIDENCE}".encode())
    here = Path(__file__)
    for path in (
        *(paths or training_files()),
        here,
        here.with_name("places.py"),
        here.with_name("entities.py"),
        here.with_name("normalize.py"),
    ):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def save(model: Linear, path: Path = MODEL_FILE) -> None:
    names = sorted(model.weights)
    np.savez_compressed(
        path,
        fingerprint=np.array(fingerprint()),
        names=np.array(names),
        weights=np.array([model.weights[n] for n in names], dtype=np.float64),
        intercept=np.array(model.intercept),
        threshold=np.array(model.threshold),
        veto=np.array(model.veto),
        evidence=np.array(model.evidence),
    )


def load(path: Path = MODEL_FILE) -> Linear | None:
    """The kept reader when its fingerprint matches today's data and code; else None (a warning is logged)."""
    try:
        with np.load(path, allow_pickle=False) as kept:
            if str(kept["fingerprint"]) == fingerprint():
                names = kept["names"].tolist()
                weights = kept["weights"].tolist()
                return Linear(
                    dict(zip(names, weights, strict=True)),
                    float(kept["intercept"]),
                    float(kept["threshold"]),
                    float(kept["veto"]),
                    float(kept["evidence"]),
                )
        log.warning("%s is stale (labelled files or place rules changed)", path.name)
    except (OSError, KeyError, ValueError):
        log.warning("%s missing or unreadable", path.name)
    return None


def load_or_train(path: Path = MODEL_FILE) -> Linear | None:
    """The kept reader; when stale or missing, one fitted now (a few seconds; a warning says to run
    python -m nlp.placeroles --train); when that fails too, None: the rules alone decide."""
    model = load(path)
    if model is not None:
        return model
    log.warning("fitting the place-roles reader now; run python -m nlp.placeroles --train to keep it")
    try:
        return _fit_examples(load_examples())
    except Exception:  # noqa: BLE001 - no scikit-learn or no data: the rules stand
        log.exception("the place-roles reader could not be fitted: the rules alone decide")
        return None


_reader: ReadOnce[Linear] = ReadOnce(lambda: load_or_train())


def kept_reader() -> Linear | None:
    """The reader kept in nlp/data/placeroles.npz (fitted now when stale), read once; None when it cannot be
    had, or while this thread is fitting it (the rules decide)."""
    return _reader.get()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cv", action="store_true", help="cross-validation grouped by file")
    parser.add_argument("--train", action="store_true", help="fit on every file and save nlp/data/placeroles.npz")
    parser.add_argument("--errors", type=str, default="", help="with --cv, print the changed lines of this file")
    parser.add_argument("--c", type=float, default=C)
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--veto", type=float, default=VETO)
    parser.add_argument("--evidence", type=float, default=EVIDENCE)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    examples = load_examples()
    counts = Counter(label for e in examples for label in e.labels)
    print(
        f"{len(examples)} lines from {len({e.file for e in examples})} files, mentions {dict(counts)} "
        f"({time.perf_counter() - started:.1f} s)"
    )
    if args.cv:
        rules = [_read(e, None) for e in examples]
        predicted = cross_validate(examples, args.c, args.threshold, args.veto, args.evidence)
        print(report(examples, predicted, rules))
        if args.errors:
            for e, p, r in zip(examples, predicted, rules, strict=True):
                if (args.errors == "all" or e.file == args.errors) and p != r:
                    mark = "+" if p == e.gold else "-" if r == e.gold else "~"
                    print(mark, e.file, e.text, "| gold", e.gold, "| rules", r, "| learned", p)
    if args.train:
        model = _fit_examples(examples, args.c)
        model.threshold, model.veto, model.evidence = args.threshold, args.veto, args.evidence
        save(model)
        print(f"saved {MODEL_FILE} ({len(model.weights)} weights)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

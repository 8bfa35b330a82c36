"""Places in a message, through `geothai`: provinces, districts (อำเภอ/เขต), subdistricts and
postal codes, as geothai codes.

Rules (DESIGN §3): only the learner's home counts ("ไปทำงานกรุงเทพ" names none); a district is
given only when unambiguous (a name shared by several districts needs its province in the
same message); "อ.เมือง" needs a province; a larger unit is never inferred from a smaller one;
ordinary words that are also place names (ลอง, สอง, เลย, ปาย …) count only when marked
(อ./อำเภอ/จ./จังหวัด).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import geothai

log = logging.getLogger(__name__)

# Nicknames and short forms people use for provinces.
PROVINCE_ALIASES: dict[str, str] = {
    "กทม": "10",
    "กรุงเทพ": "10",
    "กรุงเทพฯ": "10",
    "กรุงเทพมหานคร": "10",
    "bkk": "10",
    "bangkok": "10",
    "โคราช": "30",
    "อุบล": "34",
    "อุบลฯ": "34",
    "อุดร": "41",
    "ขอนแก่น": "40",
    "สารคาม": "44",
    "อยุธยา": "14",
    "กรุงเก่า": "14",
    "ปทุม": "13",
    "นนท์": "12",
    "แปดริ้ว": "24",
    "สุพรรณ": "72",
    "กาญ": "71",
    "กาญจน์": "71",
    "ประจวบ": "77",
    "นครศรี": "80",
    "นครศรีฯ": "80",
    "สุราษฎร์": "84",
    "สุราษ": "84",
    "พิดโลก": "65",
    "โคราด": "30",
    "ศรีษะเกษ": "33",
    "ศรีสะเกศ": "33",
    "หนองบัว": "39",
    "เชียงใหม่": "50",
    "เชียงราย": "57",
    "ปากน้ำ": "11",
    "สมุทรปราการ": "11",
    "หาดใหญ่": "",
    "อ่างทอง": "15",
    "ร้อยเอ็ด": "45",
    "บุรีรัม": "31",
    "ยโส": "35",
    "มุกดา": "49",
    "กำแพง": "62",
    "พัทลุง": "93",
    "ระยอง": "21",
    "ชล": "",
    "อำนาจ": "37",
    "กาฬสินธุ์": "46",
    "กาฬสิน": "46",
    "udon": "41",
    "ubon": "34",
    "korat": "30",
    "khorat": "30",
    "chiangmai": "50",
    "chiangrai": "57",
    "krungthep": "10",
    # English and romanised names people type beside geothai's ("Phra Nakhon Si Ayutthaya", "Surat Thani")
    "krung thep": "10",
    "krungthep mahanakhon": "10",
    "ayutthaya": "14",
    "ayuthaya": "14",
    "ayudhya": "14",
    "ayuttaya": "14",
    "surat": "84",
    "nakhon sri thammarat": "80",
    "nakhonsi": "80",
    "srisaket": "33",
    "sri saket": "33",
    "sisaket": "33",
    "khonkaen": "40",
    "phang nga": "82",
    "phangnga": "82",
    "pathum": "13",
    "prachuap": "77",
    "suphan": "72",
    "kanchana": "71",
}
# Short or unhyphenated names people type for a district (name as typed → geothai name).
DISTRICT_ALIASES: dict[str, str] = {
    "วาริน": "วารินชำราบ",
    "สุไหงโกลก": "สุไหงโก-ลก",
    "โก-ลก": "สุไหงโก-ลก",
    "โกลก": "สุไหงโก-ลก",
}
# Province names that are also ordinary words: only when marked with จ./จังหวัด.
MARKED_ONLY_PROVINCES = {"เลย", "ตาก", "น่าน", "ตรัง", "แพร่", "สตูล", "ชุมพร", "ระนอง", "ยะลา", "ชล"}
# District names that are also ordinary words (or typos of them): only when marked.
MARKED_ONLY_DISTRICTS = {
    "ลอง",
    "สอง",
    "ปาย",
    "เมือง",
    "บ้านนา",
    "ป่าแดด",
    "วัง",
    "แม่ลาว",
    "ดอกคำใต้",
    "นาน้อย",
    "เวียง",
    "เชียงคาน",
    "นาหมื่น",
    "บ้านไร่",
    "ท่าวุ้ง",
    "ลานสัก",
    "สามง่าม",
    "บ้านหมี่",
    "บ้านโป่ง",
    "ทุ่งช้าง",
    "บ่อไร่",
    "ขลุง",
    "เขาย้อย",
    "แกลง",
    "พาน",
    "ปัว",
    "ท่าแซะ",
    "ละแม",
    "สวี",
    "หลังสวน",
    "ปง",
    "แม่ใจ",
    "เชียงม่วน",
    "จุน",
    "ภูซาง",
    "ตาคลี",
    "ปากพลี",
    "สิชล",
    "ขนอม",
    "ท่าศาลา",
    "เกาะคา",
    "ห้างฉัตร",
    "เสริมงาม",
    "แม่ทะ",
    "สบปราบ",
    "งาว",
    "แจ้ห่ม",
    "วังเหนือ",
    "แม่พริก",
    "แม่เมาะ",
    "เถิน",
    "นาแห้ว",
    "ด่านซ้าย",
    "ภูเรือ",
    "ท่าลี่",
    "วังสะพุง",
    "ภูกระดึง",
    "ภูหลวง",
    "ผาขาว",
    "หนองหิน",
    "เอราวัณ",
    "นาด้วง",
    "ปากชม",
    "บางบาล",
    "บางไทร",
    "บางปะหัน",
    "บางซ้าย",
    "ดอนตูม",
    "บางเลน",
    "นครชัยศรี",
    "กำแพงแสน",
    "สามพราน",
    "พุทธมณฑล",
    "ดอยเต่า",
    "ฮอด",
    "ดอยหล่อ",
    "ไชยปราการ",
    "ฝาง",
    "แม่อาย",
    "พร้าว",
    "สันทราย",
    "สารภี",
    "หางดง",
    "จอมทอง",
    "แม่แจ่ม",
    "อมก๋อย",
    "หนองคาย",
    "นาง",
    "ชาติ",
    "หัวหิน",
    "ปราณบุรี",
    "กุย",
    "ทับสะแก",
    "บางสะพาน",
    "สามร้อยยอด",
    "ท่าใหม่",
    "ขาณุ",
    "พบพระ",
    "อุ้มผาง",
    "สามเงา",
    "บ้านตาก",
    "ลาน",
    "คลอง",
    "ราชา",
    "ไทย",
    "โพธิ์",
    # Everyday words and landmarks that are also district names (a colour, a vegetable, an airport …).
    "ชนบท",
    "สีชมพู",
    "สันติสุข",
    "สะเดา",
    "หลักสี่",
    "ดอนเมือง",
    "สุวรรณภูมิ",
    "ชื่นชม",
    "สังคม",
    "มะขาม",
    "มหาราช",
    "ไชโย",
    "สนม",
    "แสวงหา",
    "องครักษ์",
    "ปราสาท",
    "ท่าเรือ",
    "บ้านแพง",
    "บ้านค่าย",
    "นาดี",
    "โนนสูง",
    "สายไหม",
    "สมเด็จ",
    "พระพรหม",
    "ลับแล",
    "เพ็ญ",
    "พนา",
    "วัฒนา",
    "สวรรคโลก",
    # District names that read as an everyday phrase ("อาจสามารถ" may be able, "สองพี่น้อง" two siblings,
    # "สากเหล็ก" an iron pestle, "เฝ้าไร่" minding the farm, "แกดำ" you are dark …).
    "อาจสามารถ",
    "สองพี่น้อง",
    "สากเหล็ก",
    "สุขสำราญ",
    "เฝ้าไร่",
    "แกดำ",
    "บ้านหมอ",
    "บ้านสร้าง",
    "จะนะ",
    "พระยืน",
    "ปลาปาก",
    "ปากคาด",
    "หันคา",
}
# These are kept out of the marked-only list when they are long and distinctive enough:
_ALWAYS_BARE_OK = {
    "เกาะคา",
    "ห้างฉัตร",
    "เสริมงาม",
    "แม่ทะ",
    "สบปราบ",
    "แจ้ห่ม",
    "วังเหนือ",
    "แม่พริก",
    "แม่เมาะ",
    "เถิน",
    "ด่านซ้าย",
    "ภูเรือ",
    "วังสะพุง",
    "ภูกระดึง",
    "นครชัยศรี",
    "กำแพงแสน",
    "สามพราน",
    "พุทธมณฑล",
    "ไชยปราการ",
    "แม่อาย",
    "สันทราย",
    "สารภี",
    "หางดง",
    "แม่แจ่ม",
    "อมก๋อย",
    "หัวหิน",
    "ปราณบุรี",
    "ทับสะแก",
    "บางสะพาน",
    "สามร้อยยอด",
    "อุ้มผาง",
    "เชียงคาน",
    "ท่าศาลา",
    "ดอกคำใต้",
    "เชียงม่วน",
    "ตาคลี",
    "หลังสวน",
    "ท่าแซะ",
    "บ้านโป่ง",
    "บางบาล",
    "บางไทร",
    "บางปะหัน",
    "บางเลน",
    "ดอยเต่า",
    "ดอยหล่อ",
    "แม่ใจ",
    "นาหมื่น",
    "บ่อไร่",
    "เขาย้อย",
}
MARKED_ONLY_DISTRICTS -= _ALWAYS_BARE_OK

_PROVINCE_MARK = r"(?:จังหวัด|จ\.|จ(?=[ก-ฮ]))\s*"
_DISTRICT_MARK = r"(?:อำเภอ|อ\.|เขต|อ(?=เมือง))\s*"
_SUBDISTRICT_MARK = r"(?:ตำบล|ต\.|แขวง)\s*"
# Words before a place that say it is not home.
_NOT_HOME = re.compile(
    r"(?:ไปทำงาน(?:ที่|อยู่)?|ทำงานที่|ทำงานอยู่(?:ที่)?|"
    r"ไปเที่ยว(?:ที่)?|เที่ยว|(?<!ย้าย)ไป|(?<!ย้าย)ไป(?!อยู่|บ้าน|เรียน)\S{1,12}ที่|"
    # a birthplace ("หนูเกิดกรุงเทพ"; not บ้านเกิด, the home town)
    r"(?<!บ้าน)(?<!วัน)(?<!ปี)เกิด(?:ที่|ใน|อยู่)?(?:จังหวัด|จ\.)?)\s*$"
)
# Right before a place name, a shop, market, hospital, station or office it names ("ตลาดสุรินทร์", "รพ.ลำปาง",
# "บิ๊กซีลำปาง", "สาขาขอนแก่น"): the name of somewhere, no home (DESIGN §3), as a school's name is not.
_INSTITUTION_BEFORE = re.compile(
    r"(?:ตลาด(?:นัด)?|โรงพยาบาล|โรงพัก|รพ\.?|สาขา|บิ๊กซี|โลตัส|แม็คโคร|แมคโคร|เซ็นทรัล|โรบินสัน|เทสโก้|"
    r"ท่ารถ|สถานีรถไฟ|สถานีตำรวจ|สภ\.|สถานี|บขส\.?|สนามบิน|ท่าอากาศยาน|เรือนจำ|ศาล(?:จังหวัด)?|"
    r"ราชภัฏ|มหาวิทยาลัย|มหาลัย|ม\.ราชภัฏ|ม\.|"
    # food and shops named after a place ("ซอสศรีราชา", "ข้าวซอยเชียงใหม่", "ร้านลำปางการยาง")
    r"ซอส|ก๋วยเตี๋ยว(?:เรือ)?|ข้าวซอย|ไก่ย่าง|หมูยอ|แหนม|ไส้อั่ว|ขนม|กาแฟ|ร้าน)\s*$"
)
# Right after a place name, words that make it a person's name ("สุรินทร์เป็นชื่อผม", "ลำปางคือชื่อเล่น").
_NAME_AFTER = re.compile(r"\s*(?:เป็น|คือ)\s*(?:ชื่อ(?!เสียง|ดัง)|นามสกุล)")
# A district named by a person word and a word ("แม่ใจ", "แม่อาย", "แม่ทา"): when the word runs on into
# another one ("แม่ใจดีมาก", "แม่อายมาก"), the mother is spoken of, not the district.
_PERSON_LEAD = re.compile(r"(?:แม่|พ่อ)(?=[ก-๛])")
_WHERE_BEFORE = re.compile(r"(?:อยู่|บ้าน|ที่|แถว|คน|ใน|จาก)\s*$")
# Before a unit's mark, words that make it no unit named ("ต่างจังหวัด", "ข้ามเขต", "ทุกอำเภอ").
_NO_UNIT_BEFORE = re.compile(r"(?:ต่าง|ข้าม|นอก|หลาย|ทุก|คนละ)$")
# A place named only to deny it ("ไม่ใช่เถิน อยู่เกาะคา", "ไม่ได้อยู่ลำปาง").
_DENIED = re.compile(r"(?:ไม่ใช่|ไม่ได้อยู่(?:ที่)?)\s*(?:ที่|อ\.|อำเภอ|จ\.|จังหวัด|เมือง)?\s*$")
# A province that is also an ordinary word counts after อยู่ when nothing follows ("อยู่แพร่ค่ะ").
_HOME_MARK = re.compile(r"(?:อยู่|บ้านอยู่|อาศัยอยู่)\s*(?:ที่)?\s*$")
# Marked-only district names that stay words even after อยู่ ("อยู่บ้านนา", "อยู่เมืองไทย").
_WORDS_NOT_HOME = {
    "เมือง",
    "สอง",
    "ลอง",
    "บ้านนา",
    "วัง",
    "เวียง",
    "นาง",
    "ชาติ",
    "ลาน",
    "คลอง",
    "ราชา",
    "ไทย",
    "โพธิ์",
    "บ้านไร่",
    "ปาย",
    "ชนบท",
    "สังคม",
    "ชื่นชม",
    "สันติสุข",
}
# Place names in Latin letters that are also romanised Thai words (ลอง, สอง, ของ, ผล, ฟัง, ชนะ, นาน,
# เลย …) or English ones: only when marked or said after อยู่/in/at.
_ROMANISED_WORDS = {
    "long", "song", "khong", "phon", "pong", "phen", "fang", "chana", "phan", "tron", "mayo", "sena",
    "chun", "seka", "nan", "loei", "tak", "sida", "phana", "ban na", "na di", "na wa",
}  # fmt: skip
# After a name that is also a word, what makes it stand alone: the end, a space or a particle.
_PARTICLE_AFTER = r"$|\s|ค่ะ|ครับ|คับ|คะ|นะ|จ้า|เจ้า|เด้อ|แหละ|ห?นิ(?![ก-๛])"
# The end of a word: a space, the end, ฯ, a particle (dialect ones too: นิ, เด้อ, เจ้า, คับ, แหละ) or a unit's
# mark after a space.
_WORD_END = re.compile(
    r"\s*(?:$|ฯ|ครับ|ค่ะ|คะ|ค่า|คับ|นะ|จ้ะ|จ้า|เจ้า|เด้อ|เน้อ|ห?นิ(?![ก-๛])|เนาะ|ฮะ|แหละ|ล่ะ|เนอะ|"
    r"\s+(?:อ\.|อำเภอ|ต\.|ตำบล))"
)
# Of the provinces that need a mark, these are rare as ordinary words: standing alone
# ("อยู่สวี ชุมพรค่ะ", "ยะลา") they are the province.
_RARE_WORD_PROVINCES = {"น่าน", "ตรัง", "สตูล", "ชุมพร", "ระนอง", "ยะลา"}
_WORD_START = re.compile(r"(?:^|\s|อยู่|ที่)$")
# A name that continues a word: after a leading vowel ("เลี้ยง" holds ลี้), or before a
# vowel or tone mark that belongs to the letters before it.
_LEADING_VOWELS = "เแโใไ"
# Right after ชื่อ, in the same word, is a person's name ("ชื่อเล่นจันทร์เพ็ญ" is not อ.เพ็ญ).
_IN_NAME = re.compile(r"ชื่อ(?:เล่น|จริง)?(?:ว่า|คือ)?\s*[ก-๛]*$")
_THAI_LETTER = re.compile(r"[ก-๛]")
# A place name that is part of a school's name: after โรงเรียน ("โรงเรียนบ้านไผ่", "โรงเรียนเทศบาลเมือง
# ยโสธร"), or before a school word ("นนทบุรีวิทยาลัย", "ขอนแก่นวิทยายน"). A former school is no home.
_SCHOOL_NAME = re.compile(r"(?:วิทยา|พิทยา|ศึกษา|ราชภัฏ|ประชา(?:สรรค์|นุกูล|บาล)|อนุสรณ์|สามัคคี|ชนูปถัมภ์)")
_SCHOOL_BEFORE = re.compile(r"โรงเรียน(?:บ้าน|วัด|เทศบาล|อนุบาล)?\s*(?:\S{0,6}เมือง)?$")
# Right after a subdistrict's mark, a name is the subdistrict's (`_subdistrict` reads it).
_AFTER_SUBDISTRICT_MARK = re.compile(r"(?:ตำบล|ต\.|แขวง)\s*$")
_ATTACHED = re.compile(r"[\u0e31\u0e34-\u0e3a\u0e47-\u0e4eะาำๅ]")


@dataclass(frozen=True)
class _Index:
    provinces: dict[str, str]  # name → code
    districts: dict[str, tuple[str, ...]]  # bare name → codes
    mueang: dict[str, str]  # province code → its เมือง district code
    pattern: re.Pattern[str]


def _trie_pattern(words: set[str]) -> str:
    """One regular expression for any of `words`, longest first, with shared prefixes
    factored out ("ลำ(?:ปาง|พูน)"). A flat alternation of ~1 000 place names is tried one
    name after another at every position of a message; this one follows the letters."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # A word ending here may also go on: try the longer one first (greedy), as the
        # longest-first alternation did.
        return f"(?:{body})?" if "" in node else body

    return build(trie)


@lru_cache(maxsize=1)
def _index() -> _Index:
    provinces: dict[str, str] = {}
    for province in geothai.provinces():
        provinces[province.name_th] = province.code
    for alias, code in PROVINCE_ALIASES.items():
        if code:
            provinces[alias] = code
    for province in geothai.provinces():  # typed in English too ("Lampang", "chiangmai")
        english = province.name_en.lower()
        provinces.setdefault(english, province.code)
        provinces.setdefault(english.replace(" ", ""), province.code)
    districts: dict[str, list[str]] = {}
    mueang: dict[str, str] = {}
    for province in geothai.provinces():
        for district in geothai.districts(province.code):
            name = district.name_th
            if name.startswith("เขต") and province.code == "10":
                name = name[3:]
            if name.startswith("เมือง") and name[5:] == province.name_th:
                mueang[province.code] = district.code
            districts.setdefault(name, []).append(district.code)
            english = district.name_en.lower().removeprefix("khet ")
            if len(english) >= 4:
                districts.setdefault(english, []).append(district.code)
                # typed run together too ("Hatyai", "Bangna", "Huahin", "Maesai")
                joined = re.sub(r"[\s\-]", "", english)
                if joined != english and len(joined) >= 6:
                    districts.setdefault(joined, []).append(district.code)
            if name.startswith("เมือง") and name[5:] == province.name_th:
                # "amphoe mueang chiang rai" → "อำเภอ mueang เชียงราย" once the normaliser has read the province
                for spelling in ("mueang", "muang", "meuang", "muaeng"):
                    names_of = {province.name_th, province.name_en.lower()}
                    for province_name in names_of | {a for a, c in PROVINCE_ALIASES.items() if c == province.code}:
                        for typed in {f"{spelling} {province_name}", f"{spelling}{province_name}"}:
                            if district.code not in districts.get(typed, ()):
                                districts.setdefault(typed, []).append(district.code)
    for alias, name in DISTRICT_ALIASES.items():
        districts.setdefault(alias, list(districts.get(name, ())))
    names = set(provinces) | set(districts) | {"เมือง"}
    pattern = re.compile(rf"(?P<dmark>{_DISTRICT_MARK})?(?P<pmark>{_PROVINCE_MARK})?(?P<name>{_trie_pattern(names)})")
    return _Index(provinces, {k: tuple(v) for k, v in districts.items()}, mueang, pattern)


def warm_up() -> None:
    """Build the place indexes now (geothai's tables are read on first use)."""
    _index()
    _subdistrict_index()
    _postal_codes()


# Said before a place, in the same stretch of the message: somewhere the learner works, visits,
# used to live or study, or a relative's home ("ไปทำงานโรงแรมที่ชลบุรี", "เคยอยู่ขอนแก่น",
# "ไปอยู่บ้านป้าที่ระยอง", "ส่วนแม่อยู่กรุงเทพ"). Not home; a relative's home the learner lives in
# ("ย้ายมาอยู่บ้านป้าที่ อ.…", "อยู่บ้านแฟนที่ …") is.
_ELSEWHERE = re.compile(
    r"(?<!ต้อง)ทำงาน|เฮ็ดงาน|เฮ็ดก๋าน|ยะก๋าน|ยะงาน|เที่ยว|เคยอยู่|เคยเรียน|(?<!ออกจาก)(?<!ไป)(?<!ไม่อยากไป)โรงเรียน(?=\S{0,16}(?:ที่|ใน|"
    r"อยู่)|\S{0,16}\s*$)|"
    r"มหาลัย|มหาวิทยาลัย|วิทยาลัย|ฝึกงาน|ไปเรียน|โรงงาน|โรงแรม|"
    # a scene told, not a home: weather, traffic, news, outings ("ฝนตกที่หาดใหญ่", "รถติดแถวบางนา")
    r"ฝนตก|น้ำท่วม|รถติด|รถชน|อุบัติเหตุ|ไฟไหม้|แผ่นดินไหว|พายุ|ข่าว|คอนเสิร์ต|เทศกาล|งานวัด|ห้าง|แวะ|"
    r"ขับรถ|นั่งรถ|เดินทาง|ขับผ่าน|รับจ้าง|"
    r"บริษัท|หอ(?:พัก)?(?=ที่|อยู่|\s|$)|อู่|แคมป์|ไซต์|"
    # somewhere one stays for a while, not a home: a hospital, a detention centre, a prison, a shelter, a camp
    r"โรงพยาบาล|รพ\.|สถานพินิจ|เรือนจำ|ติดคุก|ศูนย์(?:บำบัด|พักพิง|ฝึก|ช่วยเหลือ)|ตลาด|บวช"
    r"|(?<!อยู่)(?<!อยู่ที่)บ้าน(?:ป้า|ลุง|ยาย|ตา|ย่า|ปู่|ญาติ|แฟน|เพื่อน|น้า|พี่)|"
    r"(?<!ย้าย)ไปอยู่(?!บ้าน(?:เรา|ตัวเอง))|ไปหา|มาจาก|เกิดที่|(?:เรียน)?จบ\s*(?:ชั้น)?\s*(?:ม|"
    r"ป)\.?\s*\d\s*(?:จาก|ที่)|ย้ายออก|ไปงาน|ไปร่วม|ไปเยี่ยม|สำนักงาน"
    r"|(?<!ตาม)(?<!กับ)(?:แม่|พ่อ|พี่|ป้า|ลุง|สามี|แฟน)(?:เขา|เค้า|ก็|จะ)?\s*(?:ย้าย)?(?:ไป)?\s*อยู่"
    # someone met through work: a customer's or a boss's home ("ลูกค้าคนนึงอยู่ อ.…", "บ้านเจ้านายที่ …")
    r"|ลูกค้า|เจ้านาย|นายจ้าง|เถ้าแก่|หัวหน้างาน"
    # a relative's home town ("แม่หนูเป็นคนศรีสัชนาลัย", "พ่อเป็นคนอีสาน")
    r"|(?:แม่|พ่อ|ยาย|ย่า|ปู่|ป้า|ลุง|น้า|สามี|แฟน)(?:หนู|ผม|เรา|ฉัน|เขา|เค้า)?\s*(?:ก็)?(?:เป็น)?คน(?!\s)"
)
# Where the learner's home is said again: what came before no longer counts ("… แต่บ้านอยู่ …").
_HOME_BREAK = re.compile(
    r"แต่|ส่วน|ตอนนี้|ปัจจุบัน|บ้าน(?:ผม|หนู|เรา|ฉัน|ดิฉัน|ของ\S{0,8}|เกิด)?\s*(?:จริงๆ?|จริง)?\s*อยู่|ทะเบียนบ้"
    r"าน|ย้ายมา|ย้ายไปอยู่|กลับมาอยู่|อาศัยอยู่"
    r"|(?<!ไป)มาอยู่|(?<!ไป)อยู่กับ|ปกติ"
    r"|(?<!ไป)อยู่บ้าน"
    r"|ภูมิลำเนา|(?:^|\s)(?:ลูก|หลาน|ผม|หนู|เรา|ยาย|ตา|ย่า|ปู่|ข่อย|เฮา|ฉาน|กู|ดิฉัน|ฉัน)?อยู่|กลับ(?:มา)?(?:อยู่)?บ้าน|(?:เขา|เค้า)อยู่"
)


def _is_home(text: str, start: int) -> bool:
    before = text[max(0, start - 14) : start]
    if _NOT_HOME.search(before) or _DENIED.search(before):
        return False
    offset = max(0, start - 48)
    stretch = text[offset:start]
    breaks = list(_HOME_BREAK.finditer(stretch))
    if breaks:
        # A break counts where a word starts: "รับเหมาอยู่" does not hold มาอยู่ (the words are cut only
        # when a break follows a Thai letter, which is rare: cutting costs about a millisecond).
        breaks = [
            b
            for b in breaks
            if not _THAI_LETTER.match(text, max(0, offset + b.start() - 1))
            or offset + b.start() == 0
            or offset + b.start() in _word_starts(text)
        ]
    if breaks:
        cut = offset + breaks[-1].start()
        if _FORMER_BEFORE.search(text[max(0, cut - 14) : cut]):
            return False  # "เดิมบ้านอยู่ อ.ปัว", "เมื่อก่อนอยู่ลำปาง": a former home
        stretch = stretch[breaks[-1].start() :]
    return not _ELSEWHERE.search(stretch)


# Right after a place, a time gone by: a former home ("ไปอยู่กับป้าที่ระยองตอนเด็กๆ", "อยู่ลำปางเมื่อก่อน").
_FORMER_AFTER = re.compile(
    r"(?:ตอน(?:เด็ก|นั้น|ป\.|ม\.|ประถม|อายุ|ยังเล็ก)|เมื่อ(?:ก่อน|ตอน|\s*\d+\s*ปีก่อน)|สมัย(?:ก่อน|เด็ก|เรียน)|"
    r"ช่วง(?:นั้น|นึง|หนึ่ง)|(?:\d+\s*)?ปีที่แล้ว|หลายปีก่อน)"
)
# Right before where the home is said, words that make it a former one ("เดิมบ้านอยู่", "ตอนเด็กๆ อยู่").
_FORMER_BEFORE = re.compile(r"(?:เดิม(?:ที)?|เมื่อก่อน|แต่ก่อน|ตอนเด็กๆ?|สมัยก่อน|สมัยเด็ก|ก่อนหน้านี้)\s*(?:เรา|หนู|ผม)?\s*$")


@lru_cache(maxsize=512)
def _word_starts(text: str) -> frozenset[int]:
    """Where the words of `text` start (pythainlp's newmm): a district name inside a longer word
    ("ประกันสังคม" holds อ.สังคม) does not start one. The text is cut chunk by chunk between spaces, with
    digits folded, as the intent classifier cuts a message: its cache has most chunks already."""
    from nlp.classifier import token_spans

    starts = {m.start() for m in re.finditer(r"\s+", text)}
    starts.add(0)
    starts.update(start for start, _, _ in token_spans(text))
    return frozenset(starts)


# Said right before a place: it is where the learner lives ("บ้านอยู่", "อยู่ที่", "ย้ายกลับมาอยู่").
_HOME_CUE = re.compile(r"(?:บ้าน\S{0,8}|อยู่|ภูมิลำเนา)\s*(?:ที่)?\s*(?:อ\.|อำเภอ|จ\.|จังหวัด)?\s*$")
# A correction of a place said before ("ตอนแรกบอกว่าอยู่ลำปาง จริงๆ อยู่ลำพูน", "ขอแก้เป็น อ.…").
_CORRECTION = re.compile(r"จริงๆ?(?:แล้ว)?(?=\s*(?:อยู่|บ้าน))|ที่ถูก(?:คือ|ต้อง)?|ขอแก้(?:เป็น)?|แก้เป็น|เปลี่ยนเป็น")


def _kept_judge(text: str, said: Sequence[Mention]) -> Sequence[float]:
    """The learned reader's verdicts (`nlp.placeroles`); the rules' when it cannot be had or fails."""
    try:
        from nlp import placeroles

        model = placeroles.kept_reader()
        if model is not None:
            return model.judge(text, said)
    except Exception:  # noqa: BLE001 - the reader must never break understand()
        log.exception("nlp.placeroles failed on a message; the rules decide")
    return [float(m.home) for m in said]


def extract_places(text: str, judge: Judge | None = _kept_judge) -> dict[str, str]:
    """Province / district / subdistrict / postal code entities from normalised text. `judge` says which
    place names are the learner's home (by default the learned reader; None: the rules alone)."""
    corrections = list(_CORRECTION.finditer(text))
    if corrections and corrections[-1].end() < len(text):
        corrected = _extract_places(text[corrections[-1].end() :], judge)
        if corrected:
            return corrected  # the place said after the correction, not the one corrected
    return _extract_places(text, judge)


@dataclass(frozen=True)
class Mention:
    """A place name read where a word starts and ends, as the rules would take it if it were home.

    `kind`: "province" (marked, or a province that is also a word said as home), "province_word" (an
    unmarked province name), "district_marked" or "district". `home`: the rules take it as the learner's
    home (`_is_home`)."""

    start: int
    end: int
    name: str
    kind: str
    home: bool


# A judge of the mentions read as words: how likely each names the learner's home (`nlp.placeroles`);
# 0.5 and above is home.
Judge = Callable[[str, Sequence[Mention]], Sequence[float]]
RANKED = True


def _word_reading(text: str, match: re.Match[str], index: _Index) -> tuple[str | None, int | None]:
    """How a match of the place pattern reads as a word: the kind of mention (None: no place named here) and
    where to look for the next match when it is not `match.end()`."""
    name = match.group("name")
    dmark, pmark = match.group("dmark"), match.group("pmark")
    start = match.start()
    if (dmark or pmark) and _NO_UNIT_BEFORE.search(text[max(0, start - 6) : start]):
        return None, start + len(dmark or pmark)  # "ต่างจังหวัด เลยหยุดเรียน": no province named
    if not dmark and not pmark and _AFTER_SUBDISTRICT_MARK.search(text[max(0, start - 8) : start]):
        return None, None  # "ต.หนองบัว อ.เมืองอุดรธานี": a subdistrict's name, not the province หนองบัว(ลำภู)
    if (
        not dmark
        and not pmark
        and (
            (start > 0 and text[start - 1] in _LEADING_VOWELS)
            or _ATTACHED.match(text, match.end())
            or _IN_NAME.search(text[max(0, start - 40) : start])
            or _SCHOOL_NAME.match(text, match.end())
            or _SCHOOL_BEFORE.search(text[max(0, start - 16) : start])
            or _INSTITUTION_BEFORE.search(text[max(0, start - 14) : start])
            or _NAME_AFTER.match(text, match.end())
        )
    ):
        return None, start + 1  # inside a longer word or a name; a place may still start later in it
    # Thai has no spaces: "ลำปาง" inside a longer run is fine, but don't match inside a word
    # made of Latin letters.
    if name.isascii() and (
        (start > 0 and text[start - 1].isalnum()) or (match.end() < len(text) and text[match.end()].isalnum())
    ):
        return None, None
    if (
        not dmark
        and not pmark
        and name in _ROMANISED_WORDS
        and not re.search(r"(?:อยู่|\bin|\bat)\s*$", text[max(0, start - 8) : start])
    ):
        return None, None  # "ork jak rongrian ton m.1 ... kai khong": ของ, not อ.โขง
    if pmark:
        return ("province" if name in index.provinces else None), None
    if dmark:
        if name in index.districts or name == "เมือง":
            return "district_marked", None
        if name in index.provinces:
            # "อ.เมืองลำปาง" style is handled by the district list; "เขตกรุงเทพ" is a province.
            return "province", None
        return None, None
    ends = _WORD_END.match(text, match.end())
    if (
        name in MARKED_ONLY_PROVINCES
        and name != "เลย"
        and name in index.provinces
        and (
            (ends and _HOME_MARK.search(text[max(0, start - 12) : start]))
            or (
                name in _RARE_WORD_PROVINCES
                and (ends or text[match.end() : match.end() + 1] == " " or text.startswith("แล้ว", match.end()))
                and _WORD_START.search(text[max(0, start - 4) : start])
            )
        )
    ):
        return "province", None
    if name in index.provinces and name not in MARKED_ONLY_PROVINCES:
        if (
            not name.isascii()
            and _THAI_LETTER.match(text, match.end())
            and _WORD_END.match(text, match.end()) is None
            and match.end() not in _word_starts(text)
        ):
            return None, None  # the start of a longer word ("กระบี่กระบอง" is no Krabi); cut only when a letter follows
        return "province_word", None  # a province name is read as the province, even one that is a district too
    if (
        name in index.districts
        and name in MARKED_ONLY_DISTRICTS
        and name not in _WORDS_NOT_HOME
        and ends
        and len(name) >= 3
        and _HOME_MARK.search(text[max(0, start - 12) : start])
    ):
        return "district", None
    if (
        _PERSON_LEAD.match(name)
        and name not in index.provinces
        and _THAI_LETTER.match(text, match.end())
        and not ends
        and not _WHERE_BEFORE.search(text[max(0, start - 6) : start])
    ):
        return None, None  # "แม่ใจดีมาก", "แม่อายมาก": the mother, not อ.แม่ใจ / อ.แม่อาย
    if (
        name in index.districts
        and name not in MARKED_ONLY_DISTRICTS
        and len(name) >= 3
        and (
            name.isascii()
            or (
                start in _word_starts(text)
                # and ends one: "ลี้ภัย", "พนมมือ", "เขาวงกต" hold a district name but are other words
                and (match.end() == len(text) or match.end() in _word_starts(text))
            )
        )
    ):
        return "district", None
    return None, None


def mentions(text: str) -> list[Mention]:
    """Every place name of normalised `text` that reads as a word, home or not, in order."""
    index = _index()
    found: list[Mention] = []
    position = 0
    while True:
        match = index.pattern.search(text, position)
        if match is None:
            break
        position = match.end()
        home = _is_home(text, match.start()) and not _FORMER_AFTER.match(text, match.end())
        kind, retry = _word_reading(text, match, index)
        if home and retry is not None:
            position = retry  # (a match not at home is passed over whole, as the rules always did)
        if kind:
            found.append(Mention(match.start(), match.end(), match.group("name"), kind, home))
    return found


def _extract_places(text: str, judge: Judge | None = None) -> dict[str, str]:
    index = _index()
    found_provinces: list[str] = []
    province_at: list[tuple[str, int]] = []  # (code, where) of each province named as home
    province_words: list[tuple[str, str]] = []  # (name as written, code) of unmarked province names
    district_names: list[tuple[str, bool]] = []  # (name, marked)
    best: dict[str, float] = {}  # the highest score of each province code / district name kept
    said = mentions(text)
    scores = list(judge(text, said)) if judge is not None and said else [float(m.home) for m in said]
    registered = [_registered(text, m.start) for m in said]
    if any(r for r in registered) and any(s >= 0.5 and not r for s, r in zip(scores, registered, strict=True)):
        # "อยู่กรุงเทพแต่ทะเบียนบ้านอยู่ร้อยเอ็ด": where the learner lives, not where the house is registered
        scores = [0.0 if r else s for s, r in zip(scores, registered, strict=True)]
    # The likeliest home first (a judge's scores; the rules' order otherwise): of two districts or two
    # provinces kept, the first one that resolves is the home.
    for at in sorted(range(len(said)), key=lambda i: -scores[i] if RANKED else 0):
        if scores[at] < 0.5:
            continue
        mention = said[at]
        name, kind = mention.name, mention.kind
        key = index.provinces[name] if kind.startswith("province") else name
        best[key] = max(best.get(key, 0.0), scores[at])
        if kind.startswith("province"):
            found_provinces.append(index.provinces[name])
            province_at.append((index.provinces[name], mention.start))
            if kind == "province_word":
                province_words.append((name, index.provinces[name]))
        else:
            district_names.append((name, kind == "district_marked"))

    entities: dict[str, str] = {}
    if len(set(found_provinces)) > 1:
        # "อยู่หนองบัว นครสวรรค์": a province's nickname that is also a district of the other
        # province named is that district.
        for name, code in province_words:
            others = [c for c in index.districts.get(name, ()) if c[:2] in found_provinces and c[:2] != code]
            if len(others) == 1:
                found_provinces = [others[0][:2]]
                district_names.insert(0, (name, False))
                break
    # Names the judge read as no home ("เดิมบ้านอยู่ อ.ปัว น่าน"): not taken back as a district and province pair.
    judged_not = {m.name for m, score in zip(said, scores, strict=True) if score < 0.5}
    if not found_provinces:
        # "อยู่นาด้วง เลย", "พบพระ ตาก": a district named, then its province whose name is also
        # a word (เลย, ตาก, แพร่ …) — the province, not the word.
        for name in MARKED_ONLY_PROVINCES:
            marked_code = index.provinces.get(name)
            if not marked_code or name in judged_not:
                continue
            if not re.search(rf"\s{re.escape(name)}(?={_PARTICLE_AFTER})", text):
                continue
            named = [
                d
                for d in geothai.districts(marked_code)
                if re.search(
                    rf"(?:^|\s|อยู่|ที่|อ\.|อำเภอ|คน){re.escape(d.name_th)}\s+{re.escape(name)}"
                    rf"(?={_PARTICLE_AFTER})",
                    text,
                )
            ]
            if len(named) == 1 and named[0].name_th not in judged_not:
                found_provinces = [marked_code]
                district_names.insert(0, (named[0].name_th, True))
                break
    if len(set(found_provinces)) > 1:
        # "เรียนอยู่แล้วที่กรุงเทพ แต่เราย้ายกลับมาอยู่บ้านที่ อ.…": the last province said as home
        homes = [code for code, at in province_at if _HOME_CUE.search(text[max(0, at - 20) : at])]
        if homes and len(set(homes)) < len(set(found_provinces)):
            found_provinces = [homes[-1]] + [c for c in found_provinces if c != homes[-1]]
    if len(set(found_provinces)) > 1 and district_names:
        # "ทำงานอยู่ชลบุรี … ลูกอยู่กับย่าที่ อ.พิมาย โคราช": the province that holds a district named
        # beside it is the home one.
        holding = [p for p in dict.fromkeys(found_provinces) if _resolve_district(district_names, p, index)]
        if len(holding) == 1:
            found_provinces = holding
    province = found_provinces[0] if found_provinces else None
    if province and district_names and not _resolve_district(district_names, province, index):
        # "หนูเกิดกรุงเทพ อยู่บางบัวทองค่ะ": a district kept that only another province holds, read more surely
        # as home than the province: the district stands (alone, or with its own province if that was named).
        alone = _resolve_district(district_names, None, index)
        alone_name = _first_district_name(district_names, alone) if alone else ""
        if (
            alone
            and best.get(alone_name, 0.0) > best.get(province, 0.0)
            and any(m.name == alone_name and m.home for m in said)  # the rules too read the district as home
        ):
            province = alone[:2] if alone[:2] in found_provinces else None
    if province:
        entities["province"] = province
    district = _resolve_district(district_names, province, index)
    if province and not district:
        district = _plain_word_district(text, province)
    if district:
        entities["district"] = district
        if province and district[:2] != province:
            # A district of another province: trust neither over the other.
            del entities["district"]
    sub = _subdistrict(text, entities.get("district"), province)
    if sub:
        entities["subdistrict"] = sub
    postal = _postal_code(text)
    if postal:
        entities["postal_code"] = postal
    return entities


# In the clause before a place: the house registration ("ทะเบียนบ้านอยู่ …", "ย้ายทะเบียนไป …"); a clause ends
# at แต่/ส่วน/ตอนนี้/จริงๆ, a particle or a comma.
_REGISTRATION = re.compile(r"ทะเบียน")
_CLAUSE_END = re.compile(r"แต่|ส่วน|ตอนนี้|ปัจจุบัน|จริงๆ?|ค่ะ|ครับ|คะ|นะ|จ้า|,")


def _registered(text: str, start: int) -> bool:
    """The place at `start` is said as where the house is registered."""
    window = text[max(0, start - 40) : start]
    cuts = list(_CLAUSE_END.finditer(window))
    if cuts:
        window = window[cuts[-1].end() :]
    return bool(_REGISTRATION.search(window))


def _first_district_name(names: list[tuple[str, bool]], code: str) -> str:
    """The name among `names` that `code` was resolved from."""
    index = _index()
    return next((name for name, _marked in names if code in index.districts.get(name, ())), "")


def _plain_word_district(text: str, province: str) -> str | None:
    """With its province in the same message, a district whose name is also a word counts when
    it stands alone ("อยู่บ้านไร่ อุทัยธานี", "ลอง แพร่"), not inside a phrase ("ลองสมัครดู")."""
    found = []
    for district in geothai.districts(province):
        name = district.name_th.removeprefix("เขต")
        if name in MARKED_ONLY_DISTRICTS and re.search(
            rf"(?:^|\s|อยู่|ที่|แถว|คน){re.escape(name)}(?=$|\s|จ\.|จังหวัด|ครับ|ค่ะ|คะ|นะ|เจ้า|จ้า)", text
        ):
            found.append(district.code)
    return found[0] if len(found) == 1 else None


def _resolve_district(names: list[tuple[str, bool]], province: str | None, index: _Index) -> str | None:
    for name, _marked in names:
        if name == "เมือง":
            if province and province in index.mueang:
                return index.mueang[province]
            continue
        codes = index.districts.get(name, ())
        if province:
            in_province = [c for c in codes if c[:2] == province]
            if len(in_province) == 1:
                return in_province[0]
            continue
        if len(codes) == 1:
            return codes[0]
    return None


_SUB_RE = re.compile(_SUBDISTRICT_MARK + r"([ก-๛]{2,30})")


def _subdistrict(text: str, district: str | None, province: str | None) -> str | None:
    for match in _SUB_RE.finditer(text):
        run = match.group(1)
        # The name is a prefix of the run (Thai has no spaces): try longest first.
        for end in range(len(run), 1, -1):
            candidates = _subdistricts_named(run[:end])
            if district:
                candidates = [c for c in candidates if c[:4] == district]
            elif province:
                candidates = [c for c in candidates if c[:2] == province]
            if len(candidates) == 1:
                return candidates[0]
            if candidates:
                break
    return None


@lru_cache(maxsize=1)
def _subdistrict_index() -> dict[str, tuple[str, ...]]:
    names: dict[str, list[str]] = {}
    for province in geothai.provinces():
        for district in geothai.districts(province.code):
            for sub in geothai.subdistricts(district.code):
                names.setdefault(sub.name_th, []).append(sub.code)
    return {k: tuple(v) for k, v in names.items()}


def _subdistricts_named(name: str) -> list[str]:
    return list(_subdistrict_index().get(name, ()))


_POSTAL_RE = re.compile(r"(?<![0-9])([1-9][0-9]{4})(?![0-9])")


@lru_cache(maxsize=1)
def _postal_codes() -> frozenset[str]:
    codes: set[str] = set()
    for province in geothai.provinces():
        for district in geothai.districts(province.code):
            for sub in geothai.subdistricts(district.code):
                codes.update(sub.postal_codes)
    return frozenset(codes)


# Around five digits: a sum of money ("เงินเดือน 15000", "ราคา 12000 บาท"), not a postal code.
_MONEY_BEFORE = re.compile(r"(?:เงินเดือน|ราคา|ค่า\S{0,8}|รายได้|ละ|งบ|ผ่อน|จ่าย|ได้เดือน|เดือนละ|บาท|฿)\s*$")
_MONEY_AFTER = re.compile(r"\s*(?:บาท|บ\.|baht|thb|฿|-\s*บาท|/\s*เดือน|ต่อเดือน)")


def _postal_code(text: str) -> str | None:
    for match in _POSTAL_RE.finditer(text):
        if _MONEY_BEFORE.search(text[max(0, match.start() - 12) : match.start()]) or _MONEY_AFTER.match(
            text, match.end()
        ):
            continue  # "เงินเดือน 15000": money
        if match.group(1) in _postal_codes():
            return match.group(1)
    return None


def districts_for_postal_code(code: str) -> list[str]:
    return sorted({s.district_code for s in geothai.by_postal_code(code)})

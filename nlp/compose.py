"""Compose training messages that carry several details and acts at once.

    python -m nlp.compose            # rewrites nlp/data/train_composed.tsv

Hand-written lines (train.tsv, train_more.tsv, train_oos.tsv) teach the words; these composed
lines teach the rule of DESIGN §3 that a message takes the intent of its strongest act however
many details come with it (a command over a question over a wish over `inform`), and that other
services asking "our" questions are `out_of_scope`. Fragments are written the way youth, parents
and grandparents type in LINE (particles, dialect, no spaces, Thai digits, romanised Thai).
Seeded: the file is the same on every run. Never composed from the held-out or dev sets.
"""

from __future__ import annotations

import random
from pathlib import Path

OUT = Path(__file__).with_name("data") / "train_composed.tsv"

WHO = ["", "", "ผม", "หนู", "ลูก", "ลูกชาย", "ลูกสาว", "หลาน", "หลานชาย", "หลานสาว", "ข่อย", "เรา", "ตัวเอง",
       "น้องในชุมชน", "นักเรียนของครู", "ลูกผม", "ลูกหนู", "บุตร", "ฉาน", "กู"]
AGES = ["อายุ {n}", "อายุ {n} ปี", "{n} ปี", "ปีนี้ {n}", "ปีนี้ {n} แล้ว", "อายุ{n}", "อายุ ๑{m}", "{n} ขวบ",
        "อายุสิบ{w}", "อายุ {n} ปีค่ะ", "ayu {n}", "{n}ปี"]
WORD_DIGITS = ["ห้า", "หก", "เจ็ด", "แปด", "เก้า"]
GRADES = ["ออกตอน ม.{k}", "จบ ม.3", "จบ ป.6", "เรียนถึง ป.{k} แล้วออก", "ออกกลางคันตอน ม.{k}", "ค้าง ม.{k}",
          "ลาออกตอน ม.{k}", "ม.{k} ไม่จบ", "เฮียนฮอด ม.{k} ละกะออก", "ออกจากโรงเรียนตอน ป.{k}", "จบ ม.ต้น",
          "เรียนไม่จบ ม.ปลาย", "ออกตอน ปวช.{j}", "ทิ้งไว้ตอน ม.{k}", "เลิกเรียนตอน ม.{k}", "ออกมอ{k}",
          "จบมอสาม", "ดรอปไว้ ม.{k}", "ออกระหว่างเทอม ม.{k}", "จบ ป.๖", "ได้แค่ ป.{k}", "ไม่ได้เรียนหนังสือเลย"]
PLACES = ["อยู่ อ.เถิน ลำปาง", "บ้านอยู่ อ.เมือง น่าน", "อยู่เชียงราย", "อยู่โคราช", "อยู่ อ.ฝาง เชียงใหม่",
          "อยู่ขอนแก่น", "บ้านอยู่หาดใหญ่", "อยู่ จ.ตรัง", "อยู่อุบล", "อยู่ กทม. เขตบางกะปิ", "อยู่ชลบุรี",
          "อยู่แม่สอด ตาก", "อยู่ อ.ปากช่อง", "บ้านอยู่ร้อยเอ็ด", "อยู่นครพนม", "อยู่เจียงใหม่", "อยู่ยโสธร",
          "อยู่ อ.วารินชำราบ", "อยู่สุราษฎร์", "อยู่บุรีรัมย์", "อยู่พิษณุโลก", "อยู่ อ.เกาะคา",
          "อยู่ ต.ล้อมแรด อ.เถิน",
          "บ้านอยู่ อ.นางรอง บุรีรัมย์", "อยู่ปัตตานี", "อยู่ อ.ทุ่งสง นครศรี", "อยู่ลำพูน", "อยู่พะเยา"]
REASONS = ["ออกเพราะไม่มีเงิน", "ที่บ้านจน", "ต้องไปทำงานช่วยแม่", "ออกมาเพราะท้อง", "โดนเพื่อนแกล้ง",
           "ที่บ้านมีปัญหา", "ป่วยบ่อย", "ย้ายบ้านตามพ่อแม่", "เรียนไม่ทัน", "ไม่มีคนส่งเรียน", "ต้องดูแลยายที่ป่วย",
           "ไม่มีบัตรประชาชน", "ที่บ้านขัดสน", "เบื่อเรียน", "ติด 0 เยอะ"]
PHONES = ["เบอร์ 0812345678", "โทร 089-123-4567", "ติดต่อ 0987654321", "เบอร์ ๐๘๖๑๒๓๔๕๖๗"]
CHAT_PLACES = ["เชียงใหม่", "ร้อยเอ็ด", "กรุงเทพ", "ภูเก็ต", "โคราช", "ขอนแก่น", "หาดใหญ่", "ลำปาง", "พัทยา", "อุบล",
               "น่าน"]
NAMES = ["ชื่อต้อม", "ชื่อน้องฝน", "ซื่อบักหำ", "ชื่อเล่นมิว", "ชื่อแบงค์"]
OPEN = ["", "", "", "สวัสดีค่ะ", "สวัสดีครับ", "หวัดดีค่ะ", "รบกวนสอบถามค่ะ", "สอบถามหน่อยครับ", "แอดคะ",
        "ขอโทษนะคะ", "สวัสดีเจ้า"]
PARTICLES = ["", "", "", "ค่ะ", "ครับ", "คะ", "นะคะ", "จ้า", "เด้อ", "ครับผม", "ค่ะ 🙏", " 😊", "นะ", "เจ้า"]

ACTS: dict[str, list[str]] = {
    "enroll": ["อยากกลับไปเรียน", "อยากเรียนต่อ", "อยากสมัครเรียน", "อยากให้ลูกกลับไปเรียน", "อยากเฮียนต่อ",
               "จะสมัครเรียน กศน", "อยากได้วุฒิ ม.6", "อยากเรียนให้จบ ม.3", "สนใจสมัครเรียน", "ขอสมัครเรียน",
               "อยากให้หลานได้เรียนต่อ", "สิสมัครเฮียน", "อยากกลับมาเรียนอีกครั้ง", "want to study again",
               "อยากเรียนต่อสายอาชีพ", "อยากเรียนสายสามัญ", "อยากลงทะเบียนเรียน"],
    "ask_documents": ["ต้องใช้เอกสารอะไรบ้าง", "ต้องใช้อะไรบ้าง", "สมัครต้องเตรียมอะไรบ้าง", "ใช้เอกสารหยังแหน่",
                      "ต้องใช้ทะเบียนบ้านไหม", "ใช้ไหรบ้าง", "จะสมัครให้ต้องใช้อะไรบ้าง", "ekkasan arai bang",
                      "ไม่มีใบ ปพ.1 ต้องทำยังไง", "ต้องเอาอะไรไปบ้าง"],
    "ask_cost": ["เรียนฟรีไหม", "ต้องเสียเงินไหม", "มีค่าใช้จ่ายไหม", "ค่าเทอมเท่าไหร่", "เสียสตังบ่",
                 "ต้องเสียเงินหม้าย", "ต้องจ่ายกี่บาท", "rian free mai", "ค่าสมัครเท่าไหร่", "ฟรีไหม"],
    "ask_schedule": ["เปิดรับสมัครเมื่อไหร่", "เรียนวันไหนบ้าง", "กี่ปีจบ", "ต้องไปเรียนทุกวันไหม", "สมัครทันไหม",
                     "เรียนกี่เทอม", "เฮียนมื้อใด", "เปิดเทอมเมื่อไหร่", "เรียนเสาร์อาทิตย์ได้ไหม", "หมดเขตวันไหน"],
    "ask_eligibility": ["เรียนได้ไหม", "สมัครได้ไหม", "ยังเรียนได้อยู่ไหม", "อายุเกินไหม", "เฮียนได้บ่",
                        "ก่เฮียนได้ก่", "สมัครได้หม้าย", "ไม่มีบัตรเรียนได้ไหม", "rian dai mai"],
    "ask_certificate": ["วุฒิใช้สมัครงานได้ไหม", "วุฒิเท่ากับโรงเรียนไหม", "จบแล้วต่อมหาลัยได้ไหม",
                        "วุฒิใช้ได้จริงไหม", "เอาวุฒิไปสอบทหารได้ไหม"],
    "ask_office": ["ศูนย์อยู่ที่ไหน", "ขอเบอร์ศูนย์หน่อย", "ศูนย์ใกล้บ้านอยู่ตรงไหน", "ไปสมัครที่ไหน",
                   "กศน อยู่ไส", "ศูนย์เปิดกี่โมง", "ขอเบอร์ครู กศน"],
    "human": ["ขอคุยกับเจ้าหน้าที่", "อยากคุยกับเจ้าหน้าที่", "ขอคุยกับคนจริง", "ให้เจ้าหน้าที่โทรกลับด้วย",
              "ขอสายเจ้าหน้าที่", "ขอคุยกับครู กศน"],
    "status": ["เรื่องถึงไหนแล้ว", "ได้เรื่องยัง", "ทำไมยังไม่มีใครติดต่อมา", "ติดตามเรื่อง", "เช็คสถานะให้หน่อย"],
    "cancel": ["ยกเลิก", "ไม่เอาแล้ว ยกเลิก", "ขอยกเลิกการสมัคร", "เริ่มใหม่"],
    "delete_data": ["ลบข้อมูลด้วย", "ขอลบข้อมูลทั้งหมด", "ลบข้อมูลของหนูออก"],
}
RANK = {"human": 3, "status": 3, "cancel": 3, "delete_data": 3, "enroll": 1}

SERVICES = ["ทำบัตรประชาชน", "ทำบัตรสวัสดิการแห่งรัฐ", "ลงทะเบียนบัตรคนจน", "สมัครประกันสังคม", "ทำพาสปอร์ต",
            "สมัครทหาร", "เกณฑ์ทหาร", "ยื่น tcas", "สมัครเข้ามหาลัย", "สอบเข้า ม.1 โรงเรียนจังหวัด",
            "สมัครงานโรงงาน", "สมัครงานเซเว่น", "ทำใบขับขี่", "ขอกู้ กยศ", "สมัครสอบ ก.พ.", "ลงทะเบียนเกษตรกร",
            "แจ้งย้ายทะเบียนบ้าน", "ขอเบี้ยผู้สูงอายุ", "ขอเงินเด็กแรกเกิด", "สมัครเรียนราชภัฏ", "สอบตำรวจ",
            "สมัครเรียนโรงเรียนเอกชน", "ต่อวีซ่า", "เปิดบัญชีธนาคาร", "ทำบัตรทอง", "ขึ้นทะเบียนคนพิการ"]
SERVICE_QUESTIONS = ["ต้องใช้เอกสารอะไรบ้าง", "เสียเงินไหม", "เปิดเมื่อไหร่", "ต้องไปที่ไหน", "ทำยังไง",
                     "ใช้อะไรบ้าง", "ค่าใช้จ่ายเท่าไหร่", "อายุเท่าไหร่ถึงทำได้", "ได้ไหม", "วันไหน"]
ADS = ["รับทำวุฒิ {g} ไม่ต้องเรียน", "รับจ้างทำใบจบ {g} ทักไลน์", "ขายวุฒิ {g} ของแท้ ได้ไว",
       "ใบจบ {g} จ่ายครบได้เลย", "รับสอบแทน {g} จบชัวร์", "วุฒิ {g} ราคาถูก สนใจทัก"]
FORMAL_SCHOOL = ["ค่าเทอมโรงเรียนลูกเท่าไหร่", "โรงเรียนลูกเปิดเทอมวันไหน", "โรงเรียนรับสมัคร ม.1 เมื่อไหร่",
                 "โรงเรียนเอกชนแถวบ้านค่าเทอมแพงไหม", "โรงเรียนลูกปิดเทอมเมื่อไหร่", "สอบเข้า ม.4 ประกาศผลวันไหน",
                 "มหาลัยเปิดเทอมวันไหน", "ค่าเทอมมหาลัยเท่าไหร่", "รับสมัครนักศึกษาใหม่ราชมงคลเมื่อไหร่"]


# Chat about daily life that happens to carry a detail ("ร้อยเอ็ดร้อนมาก", "ผมอายุ 30 แล้วยังไม่มีแฟน"):
# out_of_scope, the detail read but no intake started.
CHAT_SUBJECTS = ["ลูก", "ลูกชาย", "ลูกสาว", "หลาน", "ผม", "หนู", "ฉัน", "แม่", "พ่อ", "ยาย", "เพื่อน", "แฟน", "น้อง",
                 "ลูกอายุ {n}", "หลานอายุ {s} ขวบ", "ผมอายุ {n}", "อายุ {n} แล้ว", "วันนี้ที่{p}", "อยู่{p}", "ที่{p}",
                 "{p}", "บ้านที่{p}", "ไป{p}มา", "ลูก {n} ปี"]
CHAT_PREDICATES = ["ร้อนมาก", "หนาวมาก", "ฝนตกทั้งวัน", "รถติดมาก", "ยังไม่มีแฟน", "ซนมาก", "ชอบเล่นเกม", "ปวดหลัง",
                   "ไปเที่ยวมา", "อร่อยมาก", "ไม่ยอมกินข้าว", "ร้องไห้ทั้งคืน", "ชอบดูการ์ตูน", "ไปค่ายลูกเสือ",
                   "ได้ของขวัญ", "ไม่สบายเป็นไข้", "ไปงานบุญ", "ทำกับข้าวเก่ง", "นอนตื่นสาย", "เล่นมือถือทั้งวัน",
                   "อยากได้จักรยาน", "อยากไปสวนสนุก", "ขายของออนไลน์", "ซื้อรถใหม่", "น้ำท่วมอีกแล้ว", "ไฟดับ",
                   "เน็ตช้ามาก", "มีงานวัด", "ตลาดนัดคนเยอะ", "ข้าวแพงขึ้น", "ดูบอลทั้งคืน", "ร้องเพลงเพราะ",
                   "ได้เกรดดี", "สอบได้ที่หนึ่ง", "ไปหาหมอฟัน", "แต่งงานแล้ว", "ทำงานเหนื่อย", "เงินเดือนน้อย",
                   "เลี้ยงหมาสองตัว", "ปลูกผักขาย", "ไปวัดทุกวันพระ", "ชอบเกาหลี", "เต้นเก่ง", "ขี่มอไซค์เป็นแล้ว",
                   "ยังโสด", "ซน", "รถติด", "ไม่มีแฟน", "เหนื่อย", "ง่วงนอน", "ปวดหัว", "หิวข้าว", "สวยมาก", "หล่อ",
                   "ชอบกินส้มตำ", "ไปตลาด", "ของแพง", "แดดร้อน", "หมอกลงหนา", "ไปงานแต่ง", "เมาค้าง", "อ้วนขึ้น",
                   "ผอมลง", "ตัดผมใหม่", "ซื้อเสื้อ", "ไปดูหนัง", "คิดถึงบ้าน", "ฝันร้าย", "เป็นหวัด", "ไอทั้งคืน"]


def _fill(template: str, rng: random.Random) -> str:
    return template.format(n=rng.randint(12, 45), m=rng.randint(2, 9), k=rng.randint(1, 6), j=rng.randint(1, 3),
                           w=rng.choice(WORD_DIGITS), g=rng.choice(["ม.3", "ม.6", "ปวช", "ป.6"]), s=rng.randint(2, 9),
                           p=rng.choice(CHAT_PLACES))


def _details(rng: random.Random, most: int) -> list[str]:
    pool = [AGES, GRADES, PLACES, REASONS, PHONES, NAMES]
    chosen = rng.sample(pool, rng.randint(1, most))
    parts = [_fill(rng.choice(group), rng) for group in chosen]
    who = rng.choice(WHO)
    if who:
        parts[0] = who + rng.choice(["", " "]) + parts[0]
    return parts


def _join(parts: list[str], rng: random.Random) -> str:
    glue = rng.choice([" ", " ", "", ", ", " ค่ะ ", " ครับ "])
    return glue.join(p for p in parts if p).strip()


def compose(seed: int = 11) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    lines: list[tuple[str, str]] = []
    # Details only: inform (a parent's long message, a youth's list).
    for _ in range(700):
        parts = _details(rng, 4)
        lines.append(("inform", _join([rng.choice(OPEN)] + parts, rng) + rng.choice(PARTICLES)))
    # Details plus one act, the act first or last: the act's intent.
    for intent, acts in ACTS.items():
        count = 110 if intent.startswith("ask_") or intent == "enroll" else 60
        for _ in range(count):
            parts = _details(rng, 4)
            act = rng.choice(acts) + rng.choice(PARTICLES)
            parts = parts + [act] if rng.random() < 0.75 else [act] + parts
            lines.append((intent, _join([rng.choice(OPEN)] + parts, rng)))
    # Two acts: the stronger wins (command > question > wish).
    names = list(ACTS)
    for _ in range(250):
        a, b = rng.sample(names, 2)
        rank_a, rank_b = RANK.get(a, 2), RANK.get(b, 2)
        if rank_a == rank_b:
            continue
        winner = a if rank_a > rank_b else b
        parts = _details(rng, 2) + [rng.choice(ACTS[a]), rng.choice(ACTS[b])]
        rng.shuffle(parts)
        lines.append((winner, _join(parts, rng) + rng.choice(PARTICLES)))
    # Other services asking our questions, ads, a formal school's own business: out_of_scope.
    for _ in range(260):
        service = rng.choice(SERVICES)
        lines.append(("out_of_scope", _join([rng.choice(OPEN), service, rng.choice(SERVICE_QUESTIONS)], rng)
                      + rng.choice(PARTICLES)))
    for _ in range(60):
        lines.append(("out_of_scope", _fill(rng.choice(ADS), rng) + rng.choice(["", " 💯", " ทักเลย", " line: abc123"])))
    for _ in range(60):
        lines.append(("out_of_scope", rng.choice(["", "สอบถามค่ะ ", "แอดคะ "]) + rng.choice(FORMAL_SCHOOL)
                      + rng.choice(PARTICLES)))
    for _ in range(600):
        subject = _fill(rng.choice(CHAT_SUBJECTS), rng)
        lines.append(("out_of_scope", _join([subject, rng.choice(CHAT_PREDICATES)], rng) + rng.choice(PARTICLES)))
    seen: set[str] = set()
    unique = []
    for intent, text in lines:
        text = " ".join(text.split())
        if text and text not in seen:
            seen.add(text)
            unique.append((intent, text))
    return unique


def main() -> int:
    lines = compose()
    header = "# Composed by `python -m nlp.compose` (do not edit by hand): several details and acts in one message.\n"
    OUT.write_text(header + "".join(f"{intent}\t{text}\n" for intent, text in lines), encoding="utf-8")
    print(f"{len(lines)} lines → {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

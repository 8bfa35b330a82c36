"""Text normalisation before reading: digits, repeated letters, chat spellings and dialect."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad]")
# A Thai or Latin letter typed three or more times in a row ("มากกกก", "ค่าาาา", "okkkk").
_REPEATS = re.compile(r"([ก-ฬฮะ-ูเ-์a-z])\1{2,}|(อ)\2{3,}")  # อ three times is a word: ขอ|ออก
_SPACES = re.compile(r"\s+")

# Chat spellings and northern/north-eastern words → standard Thai. Applied in order.
_REPLACEMENTS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"เฮียน", "เรียน"),
        # Isan and northern words people type: ฮอด (to reach) after เรียน, กะ (ก็), เฮ็ด (ทำ),
        # ฮู้ (รู้), คือกัน (เหมือนกัน), ซาว (ยี่สิบ), เจียง- (เชียง-), ตัวเก่า (ตัวเอง), เพิ่น (เขา).
        (r"เรียนฮอด", "เรียนถึง"),
        # Northern (Kham Mueang) sounds: ช → จ (จื้อ ชื่อ, จ่วย ช่วย, ใจ้ ใช้ before what is used), ท → ต (ตี้ ที่,
        # ตาง ทาง, เต้าใด เท่าไหร่), the rising tone (ปี๋ ปี, ก๋าน การ/งาน); ยะ (ทำ), อะหยัง (อะไร), พ่อง (บ้าง),
        # หื้อ (ให้), อู้ (พูด), เปิ้น (เขา), ป้อ (พ่อ); southern ท่อไหร (เท่าไหร่), พันพรือ (อย่างไร), หนิ (a particle).
        (r"เต้าใด|เต้าไหร่?|ท่อไหร่?|เท่าไหร(?![่้])", "เท่าไหร่"),
        (r"ปี๋", "ปี"),
        (r"(?<![ก-ฮ])จื้อ", "ชื่อ"),
        (r"(?<![ก-ฮ])จ่วย", "ช่วย"),
        (r"(?<![ก-ฮ])ใจ้(?=\s?(?:จ่าย|สมัคร|เวลา|เอกสาร|อะหยัง|หยัง|อะไร|ไหร|เงิน|สตัง|สตาง|ตังค์|ยะ|ทำ|เฮ็ด|ได้|วุฒิ))", "ใช้"),
        (r"ค่าใจ้", "ค่าใช้"),
        (r"(?<!ปาร์)ตี้(?=ไหน|ใด|ไหนก็|อยู่|นี่|นั่น|$)|(?<=หน้า)ตี้|(?<=อยู่)ตี้|(?<=ที่)ตี้", "ที่"),
        (r"ตางใด|ตี้ใด|ที่ใด|ตี้ไหน|ตางไหน", "ที่ไหน"),
        (r"ยะก๋าน|ยะงาน|เฮ็ดก๋าน", "ทำงาน"),
        (r"ก๋าน", "การ"),
        (r"(?:(?<![ก-๛])|(?<=ไป)|(?<=จะ)|(?<=ต้อง)|(?<=สมัคร)|(?<=เฮียน)|(?<=เรียน))"
         r"ยะ(?=\s?(?:จะใด|จะได|อะหยัง|หยัง|อะไร|อย่างไร|ยังไง))", "ทำ"),
        (r"อะหยัง", "อะไร"),
        (r"(?:(?<=หยัง)|(?<=อะไร)|(?<=ไหร)|(?<=ไป))\s?พ่อง", "บ้าง"),
        (r"หื้อ", "ให้"),
        (r"(?<![ก-ฮ])ปี้(?=เจ้า|น้อง|\s|$|ครับ|ค่ะ|คะ|ๆ)", "พี่"),
        # "บ่เคยเฮียนจบ ม.3", "ไม่ได้เรียนจบ": never finished is left during
        (r"(?:ไม่|บ่)(?:เคย|ได้)\s?(?:เรียน|เฮียน)\s?จบ", "เรียนไม่จบ"),
        # Isan บ้านทุกข์ / ทุกข์ยาก: a poor home
        (r"บ้าน\s?ทุกข์(?:ยาก|หลาย)?|ทุกข์ยาก|(?<=มัน)ทุกข์|(?<=ครอบครัว)ทุกข์", "บ้านจน"),
        (r"(?<![ก-ฮ]ู)อู้(?=\s?(?:กับ|ด้วย|นำ|จ่วย|ช่วย|ได้))", "คุย"),
        (r"เปิ้น", "เขา"),
        (r"(?<![ก-ฮ])ป้อ(?=แม่|\s|$|ของ)", "พ่อ"),
        (r"ยังพรือ|พันพรือ|ผรื่อ|(?<![ก-ฮ])พรือ", "อย่างไร"),
        (r"(?<=[ก-๛])\s?หนิ(?=$|\s|ครับ|ค่ะ|คะ)", " "),
        # Isan: ย้อน (because; not ย้อนกลับ/ย้อนหลัง, to go back), ฮับ (รับ) before สมัคร, จั่งสิ (then … will),
        # สิ (จะ) after the one who will ("ข่อยสิไป", "ทำอย่างไรสิสมัครได้").
        (r"ย้อนว่า|ย้อน(?!กลับ|หลัง|ไป(?:เมื่อ|ตอน|ดู|อ่าน)|ดู|อ่าน|อดีต|ยุค|เวลา|รอย|แย้ง|ศร|ถาม)", "เพราะ"),
        (r"ฮับ(?=\s?สมัคร)", "รับ"),
        # Isan เซา (to stop) before school: "เซาเฮียนตอน ม.2" is หยุดเรียน (not เซา alone: "ฝนเซาแล้ว")
        (r"เซา(?=\s?(?:เรียน|ไปเรียน|ไป(?:โรง|โฮง)เรียน|(?:โรง|โฮง)เรียน))", "หยุด"),
        (r"จั่งสิ|จั่งซิ|จั่งค่อย", "ถึงจะ"),
        (r"(?:(?<=ไร)|(?<=ใด)|(?<=ได๋)|(?<=ข่อย)|(?<=เฮา)|(?<=ฉัน)|(?<=หนู)|(?<=ผม)|(?<=ลูก)|(?<=หลาน)|(?<=กะ)|(?<=ก็)"
         r"|(?<=มัน)|(?<=แล้ว)|(?<=เขา)|(?<=เพิ่น))สิ(?=\s?(?:สมัคร|เรียน|เฮียน|ไป|มา|เอา|เฮ็ด|ทำ|ได้|ถาม|ออก|จบ))",
         "จะ"),
        (r"(?:ละ|แล้ว)กะ(?=ออก|บ่|ไม่|ไป)", "แล้วก็"),
        (r"เฮ็ด", "ทำ"),
        (r"(?<=บ่)ฮู้|(?<=ไม่)ฮู้", "รู้"),
        (r"คือกัน", "เหมือนกัน"),
        (r"(?<![ก-ฮ])ซาว(?=หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|เอ็ด|ปี|ขวบ|$|\s)", "ยี่สิบ"),
        (r"เจียงฮาย|เชียงฮาย", "เชียงราย"),
        (r"เจียง(?=ใหม่|ราย|คำ|ของ|แสน|ดาว)", "เชียง"),
        # Isan ซื่อ for ชื่อ (not ซื่อสัตย์/ซื่อตรง), โฮงเฮียน, สิ (will) before a verb, มื้อใด (when),
        # ไส (where), หยังแหน่ (what … all); northern สตัง (money), ก่ (question), จะใด (how);
        # southern ไหร (what), หม้าย (question), ฉาน (I).
        (r"ซื่อ(?!สัตย์|ตรง)", "ชื่อ"),
        (r"โฮงเฮียน|โฮงเรียน", "โรงเรียน"),
        (r"(?<![ก-ฮ])สิ(?=\s?(?:สมัคร|เรียน|เฮียน|ไป|มา|เอา|เฮ็ด|ทำ|ได้|ถาม|ออก))", "จะ"),
        (r"มื้อใด|มื้อได๋|วันใด", "เมื่อไหร่"),
        (r"(?<=อยู่)ไส|(?<=ไป)ไส|(?<=ที่)ไส|^ไส", "ที่ไหน"),
        (r"หยังแหน่|อิหยังแหน่", "อะไรบ้าง"),
        (r"(?<=อะไร)\s*แหน่|(?<=ไป)แหน่|(?<=ไหร)\s*แหน่", "บ้าง"),
        (r"(?:(?<![ก-ฮ])|(?<=จ่าย)|(?<=เสีย)|(?<=ใช้)|(?<=มี))ส(?:ตัง|ตาง)(?:ค์)?|(?<![ก-ฮ])ตังค์(?!\S*(?:ทอง))", "เงิน"),
        # (the northern question is also typed ก่อ: "เฮียนได้ก่อเจ้า"; not the ก่ of ไก่)
        (r"(?<=ได้)ก่อ?(?=$|\s|เจ้า|ครับ|ค่ะ|คะ|นะ|จ้า|จ้ะ|เด้อ)|(?<=[ก-๛])(?<![เแโใไ])\s?ก่อ?(?=$|\s*เจ้า|\s*ครับ|\s*ค่ะ)",
         "ไหม"),
        (r"จั๊?ก(?=\s?(?:บาท|ปี|เดือน|วัน|โมง|คน|เทอม|ชั่วโมง))", "กี่"),
        (r"(?<![ก-ฮ])ก่(?=เรียน|เฮียน|ได้|ไป|มี)", "ก็"),
        (r"จะใด|จะได(?=$|\s)", "อย่างไร"),
        (r"(?<![ก-ฮ])ไหร(?![่้])", "อะไร"),
        # The clipped อะไร of chat after a verb ("เอาไรไปบ้าง", "ใช้ไรมั่ง"; not ไม่เป็นไร, กำไร, ไร่, ไรเดอร์).
        (r"(เอา|ใช้|ทำ|มี|ยื่น|ถือ|ส่ง|พก|จ่าย|เสีย|เรียน|เตรียม|ซื้อ|ต้อง)ไร(?![่้]|เดอร์|ฝุ่น)", r"\1อะไร"),
        (r"(?<!อะ)ไร(?=\s?(?:บ้าง|มั่ง))", "อะไร"),
        (r"(?:(?<![ก-๛])|(?<=ไร)|(?<=ไหน)|(?<=ใคร))มั่ง(?!มี|คั่ง)", "บ้าง"),
        # Southern หม้าย/ม้าย is also ไม่ before what it denies ("หม้ายได้เรียน", "หม้ายช่าย 17"); หลบบ้าน (กลับบ้าน)
        (r"(?<!แม่)(?<!แม่ห)ห?ม้าย(?=\s?(?:ได้|ช่าย|ใช่|มี|เอา|อยาก|รู้|เคย|ต้อง|ไป|เรียน|จบ|สบาย))", "ไม่"),
        (r"(?<=ไม่)\s?ช่าย|(?<![ก-ฮ])ช่าย(?=$|\s|แล้ว|ครับ|ค่ะ)", "ใช่"),
        (r"หลบบ้าน", "กลับบ้าน"),
        (r"(?<=[ก-๛])\s?แหละ(?=$|\s|ค่ะ|ครับ)", " "),
        (r"(?<!แม่)(?<!แม่ห)ห?ม้าย(?=$|\s|ครับ|คะ|ค่ะ|คับ|จ้า|เจ้า|เด้อ|หนิ|นะ|ถ้า|อะ|อ่ะ|จ๊ะ|จ้ะ|ฮะ|พี่|แอด|ครู|น้า|ป้า|ลุง|คุณ)",
         "ไหม"),  # … and before the one asked ("เรียนได้ม้ายพี่")
        (r"(?<![ก-ฮ])ฉาน(?![ก-ฮ])", "ฉัน"),
        (r"ตัวเก่า|ตั๋วเก่า", "ตัวเอง"),
        (r"เพิ่น", "เขา"),
        (r"ฮียน", "เรียน"),
        (r"ม่าย|มะได้", "ไม่"),
        (r"(?<=[ก-๛])บ่(?=$|\s|ครับ|คับ|ค่ะ|คะ|เด้อ|นะ|เจ้า)(?<!ไม่บ่)", "ไหม"),  # "เรียนได้บ่" asks
        (r"บ่(?![ายอ่นง])", "ไม่"),  # not บ่น (to grumble), บ่งบอก
        (r"บ่อยาก", "ไม่อยาก"),
        (r"แม่นแล้ว|แม่นเลย", "ใช่แล้ว"),
        (r"(?<![ก-ฮ])แม่น(?=$|\s|ครับ|ค่ะ|จ้า|เด้อ)", "ใช่"),
        (r"บ่ใจ้|ไม่ใจ้|บ่แม่น|ไม่แม่น", "ไม่ใช่"),
        (r"(?<![ก-ฮ])ใจ้|(?<![ก-ฮ])ไช่", "ใช่"),  # ไช่: ใช่ typed with the wrong vowel
        (r"เปน", "เป็น"),
        (r"สมัค(?!ร)", "สมัคร"),
        (r"มั้ย|มั๊ย|ไม๊|ไหมคะ|ป่าว|ปะ(?=$|\s|ครับ|คะ)|บ่(?=$)", "ไหม"),
        (r"(?<![ก-ฮ])(?<!ทำ)ไม(?=$|\s|ครับ|คะ|ค่ะ)", "ไหม"),  # "ได้ไม" is ได้ไหม; ทำไม stays why
        (r"คับ|ครัช|คร้าบ|ฮะ(?=$|\s)", "ครับ"),
        (r"คร่า|ค่า(?=$|\s|!)|คร้า|(?<!เ)(?:จ้ะ|จ้า|จ๊ะ)(?![ก-ฮ])", "ค่ะ"),  # not ลูกจ้าง  # not the จ้า inside เจ้า, เจ้าหน้าที่
        # (เจ้า closes a message as a northern/Isan particle, but not the place names วังเจ้า, บางกะเจ้า…)
        (r"เด้อ|เด้|เนาะ|เน้อ|(?<=.)(?<!วัง)(?<!กะ)(?<!กระ)(?<!พระ)(?<!ลูก)(?<!เป็น)(?<!ของ)เจ้า(?=$|\s)", " "),
        (r"ข่อย|เฮา(?![ก-ฮ])", "ฉัน"),
        (r"อิหยัง|หยัง", "อะไร"),
        (r"จั่งใด|จังใด|จังได๋", "อย่างไร"),
        (r"ยังไง|ยังงัย|ไง(?=$|\s|ครับ|คะ|ค่ะ|อะ|อ่ะ|นะ|ดี|บ้าง|เอ่ย|หรอ)", "อย่างไร"),
        (r"เท่าไร|เท่าไหร่|เท่าไร่|เท่าใด", "เท่าไหร่"),
        (r"เมื่อไร|เมื่อไหร่|ตอนไหน|เมื่อใด", "เมื่อไหร่"),
        # "มอ 3", "มอสาม", "มอต้น" for ม.3 / ม.ต้น (not หมอ, เสมอ).
        (r"(?<![เหม])มอ\s*(?=[1-6](?!\d)|หนึ่ง|สอง|สาม|สี่|ห้า|หก|ต้น|ปลาย)", "ม."),
        (r"กศน\.?|ก\.ศ\.น\.?", "กศน"),
        (r"สกร\.?|ส\.ก\.ร\.?", "สกร"),
    ]
]


# English and romanised Thai typed in LINE → the Thai words the readers and the classifier know.
# Applied only to messages with Latin letters, on whole words, longest phrases first.
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
# English ages in words: "fourteen", "twenty-one"; five to nine only said as an age ("she is seven").
_ENGLISH_NUMBERS = [(rf"twenty[\s-]?{u}", str(21 + i)) for i, u in enumerate(_UNITS)] + [
    (t, str(10 + i)) for i, t in enumerate(_TEENS)
] + [("twenty", "20")] + [(rf"(?<=is |am |ge ){u}", str(1 + i)) for i, u in enumerate(_UNITS) if i >= 4]
_LATIN: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?<![a-z])" + p + r"(?![a-z])"), r)
    for p, r in [
        *_ENGLISH_NUMBERS,
        (r"^(?:yeah|yep|yup|yea|yess)(?=$|\s|[,.!])", "ใช่"),
        # why they left, said in English ("because I had to work", "couldn't afford it", "she got sick")
        (r"(?:had|have|has|needed|need)\s*to\s*(?:go\s*to\s*)?work|(?:went|go|going)\s*to\s*work|(?:get|got|find|found)\s*a\s*job"
         r"|started\s*working", "ต้องทำงาน"),
        (r"(?:had|have|has)\s*no\s*money|no\s*money|not\s*enough\s*money|(?:couldn'?t|can'?t|could\s*not|cannot)\s*afford"
         r"(?:\s*it)?|too\s*poor|poverty", "ไม่มีเงิน"),
        (r"(?:got|was|is|been|became|fell)\s*(?:very\s*)?(?:sick|ill)|illness|sickness", "ป่วย"),
        (r"(?:because(?:\s*of)?|bc|coz|cuz)", "เพราะ"),
        # "how long to finish M.6", "how many years to graduate": a question about the time to finish
        (r"how\s*(?:long|many\s*(?:years|terms|months))\s*(?:does\s*it\s*take\s*|will\s*it\s*take\s*|do\s*i\s*need\s*)?"
         r"(?:to|until|till|before)\s*(?:i\s*|we\s*)?(?:finish|complete|graduate|get\s*(?:the|a)\s*(?:diploma|certificate))",
         "ใช้เวลากี่ปีจบ"),
        (r"chiang\s*mai", "เชียงใหม่"),
        (r"(?:sawasdee|sawatdee|sawaddee|sawadee|sawasdi)", "สวัสดี"),
        (r"(?:kob|khob|kop|khop)\s*(?:khun|kun|koon|jai)", "ขอบคุณ"),
        (r"chiang\s*rai", "เชียงราย"),
        (r"i\s*(?:'m|am)\s*(?=\d)", "ผมอายุ "),
        (r"(?:he|she)\s*(?:'s|is)\s*(?=\d)", "อายุ "),
        (r"(?:is|are|aged?|ayu|a-yu)\s*(?=\d)", "อายุ "),
        (r"(\d{1,2})\s*(?:years?|yrs?)\s*old", r"\1 ปี"),
        (r"grade\s*([1-6])(?!\d)", r"ป.\1"),
        (r"grade\s*([7-9]|1[0-2])(?!\d)", "GRADE\\1"),
        (r"(?:mattayom|matthayom|m)\s*\.?\s*([1-6])(?!\d)", r"ม.\1"),
        (r"(?:prathom|p)\s*\.\s*([1-6])(?!\d)", r"ป.\1"),
        # corrections: "sorry, I meant 17", "not 15, 16", "wrong age, it's 18", "mai chai 15 ka", "ayu pid"
        (r"(?:sorry\s*,?\s*)?i\s*mean[t]?(?:\s*to\s*say)?|(?<=\s)sorry\s*,?\s*(?=\d)", "เอ้ย"),
        (r"correction\s*:?|let me correct|to correct", "ขอแก้ "),
        (r"(?:mai|my)\s*(?:chai|chay|chaai)(?=\s*[,.]?\s*\d)|not\s*(?=\d|ม\.|ป\.|grade|GRADE)"
         r"|(?:mai|my)\s*(?:chai|chay|chaai)(?=\s*[,.]?\s*(?:ม\.|ป\.|GRADE|(?:mor|mo|por|po|m|p)\s*\.?\s*[1-6]))",
         "ไม่ใช่ "),
        (r"^(?:no|nope|nah)\s*[,.!]?\s*(?=\S*\s*\d|(?:she|he|i|it|my|the|age)\b)", "ผิด "),
        (r"(?:wrong|incorrect|pid|phit)\s*(?:age|ayu|aayu|ayuu)|(?:the\s*)?age\s*(?:is\s*)?(?:wrong|incorrect)"
         r"|(?:ayu|aayu|ayuu|a-yu)\s*(?:pid|phit|pit)", "อายุผิด"),
        (r"it\s*(?:'s|is)\s*(?=\d)", "เป็น "),
        (r"where\s*(?:can|do|should)\s*(?:i|we|he|she|they|my\s*\w+)\s*(?:apply|register|enrol+|sign\s*up)",
         "สมัครได้ที่ไหน"),
        # "how do I apply", "how can my son register": the wish to enrol asked as a how
        (r"how\s*(?:do|can|should|to)?\s*(?:i|we|my\s*\w+|he|she|they)?\s*(?:apply|register|enrol+|sign\s*up)",
         "สมัครเรียนอย่างไร"),
        # "quit school", "dropped out because …": left, with no level named after
        (
            r"(?:dropped out|drop out|quit|left|stopped)(?:\s*(?:of\s*)?(?:school|studying))"
            r"(?!\s*(?:in|at|during|after|when|since)\b)|(?:dropped|drop)\s*out(?=\s*(?:because|เพราะ|bc|due|since|$|[.,!]))",
            "ออกจากโรงเรียน",
        ),
        (
            r"(?:dropped out|drop out|quit|left school|left|stopped)(?:\s*(?:school|"
            r"studying))?(?:\s*(?:in|at|during))?",
            "ออกตอน",
        ),
        (
            r"(?:finished|completed|graduated)(?:\s*(?:from|in))?|(?:job|"
            r"jop|jób)(?=\s*(?:mor|mo|por|po|m|p|ม|ป)\s*\.?\s*[1-6])",
            "จบ",
        ),
        (r"my\s*(?:son|daughter|kid|child|children|kids)", "ลูก"),
        (r"(?:son|daughter)", "ลูก"),
        (r"my\s*(?:niece|nephew|grandchild|grandson|granddaughter|grandkid)", "หลาน"),
        (r"(?:niece|nephew|grandchild|grandson|granddaughter)", "หลาน"),
        (r"my\s*(?:student|friend)", "เพื่อน"),
        (r"(?:we are|we're|i'm|i am|we live|i live|live|living|staying)\s*in", "อยู่"),
        (r"(?:mor|mo|mattayom)\s*\.?\s*([1-6])(?!\d)", r"ม.\1"),
        (r"(?:por|po|prathom)\s*\.?\s*([1-6])(?!\d)", r"ป.\1"),
        (r"(?:amphoe|amphur|amper|amphur)", "อำเภอ"),
        (r"(?:changwat|jangwat|changwad)", "จังหวัด"),
        (r"(?:rong\s*rian|rongrian|rong\s*rean)", "โรงเรียน"),
        (r"(?:ork|oak|awk)|ok(?=\s*(?:ton|tawn|tohn|ตอน|jak|jaak|จาก|rong|โรง|ม\.|ป\.))|(?<=tong )ok|(?<=เลย )ok",
         "ออก"),
        (r"(?:loei|loey|leoy|lery)", "เลย"),
        (r"(?:ton|tawn|torn)\s*(?:nee|ni|nii)|tonnee|tawnnee", "ตอนนี้"),
        (r"(?:tua|tou)\s*(?:eng|aeng|ayng)|tuaeng", "ตัวเอง"),
        (r"(?:ja|cha|jaa)(?=\s*(?:rian|lian|rean|samak|pai|ao))", "จะ"),
        (r"hai(?=\s*(?:luk|look|lan|laan|rian|lian|rean|khao|kao|nong))", "ให้"),
        (r"(?:chuay|chuai|chuey)", "ช่วย"),
        (r"(?:tham|tam|thum)\s*(?:na|naa)(?![a-z])", "ทำนา"),
        (r"(?:tham|tam|thum)\s*(?:ngan|ngaan|gnan)", "ทำงาน"),
        (r"(?:phuen|puen|pheuan|phuean|peun|puan)", "เพื่อน"),
        (r"(?:doan|dohn|don|dohn)(?=\s*(?:เพื่อน|phuen|แกล้ง|ti|tee))", "โดน"),
        (r"pai(?=\s*(?:rong|โรง|tham|ทำ|krung|bangkok|กรุงเทพ))", "ไป"),
        (r"vocational(?:\s*(?:school|track|stream|education|path|course|study))?", "สายอาชีพ"),
        (r"general(?:\s*(?:school|track|stream|education|path|course|study))?(?=\s*(?:$|[,.!]|please|instead))"
         r"|(?<=not )general", "สายสามัญ"),
        (r"(?:i|we)\s*(?:want|prefer|choose|would like)\s*(?=สาย)", "อยากเรียน"),
        (r"not\s*(?=สาย)", "ไม่เอา"),
        (r"(?:tong|torn|ton)(?=\s*(?:ม\.|ป\.|ayu|อายุ))", "ตอน"),
        (r"(?:tong|thong|tawng)(?=\s*(?:ตอน|laew|แล้ว|loei|เลย))", "ท้อง"),
        (r"(?:chue|chua|chew|chuea)", "ชื่อ"),
        (r"(?:yu|yoo|yuu)", "อยู่"),
        (r"(?:phom|pom)", "ผม"),
        (r"nu(?=\s)", "หนู"),
        (r"(?:doan|dohn|don)(?=\s*(?:klaeng|glaeng|klang))", "โดน"),
        (r"(?:klaeng|glaeng)", "แกล้ง"),
        (r"luk(?:\s*(?:chai|sao|sau))?", "ลูก"),
        (r"lan(?:\s*(?:chai|sao|sau))?", "หลาน"),
        (r"(?:yak|yaak|ark)", "อยาก"),
        (r"(?:rian|rean|lian)", "เรียน"),
        (r"(?:glub|klub|glab|klap|gub|kub)(?=\s*pai)", "กลับ"),
        # the papers and the office, as typed in romanised Thai ("tabian baan tua jing rue samnao",
        # "samak tong ao arai pai bang", "ber toh soon", "soon yu nai")
        (r"(?:tabian|tabien|ta bian)\s*(?:baan|ban)", "ทะเบียนบ้าน"),
        (r"(?:samnao|sumnao|sam nao)", "สำเนา"),
        (r"(?:tua|tuo)\s*(?:jing|ching)", "ตัวจริง"),
        (r"(?:rue|reu|ruu)(?=\s)", "หรือ"),
        (r"(?:tong|dtong)(?=\s*(?:ao|aow|jai|jaai|sia|mee|pai|rian|chai|triam))", "ต้อง"),
        (r"(?:ao|aow|aou)(?=\s*(?:arai|alai|rai|pai|duay|ทะเบียน|สำเนา|ตัวจริง|bat|roop))", "เอา"),
        (r"pai(?=\s*(?:bang|mang|duay|samak|rian))|(?<=เอา )pai", "ไป"),
        (r"(?<=ไป )(?:bang|mang)|(?<=ไป)(?:bang|mang)", "บ้าง"),
        (r"(?:duay|duey)", "ด้วย"),
        (r"(?:muea|mua|meua|muer|mue|meu|mea|muerai)\s*(?:rai|lai)", "เมื่อไหร่"),
        (r"(?:rap|rub|rab)(?=\s*(?:samak|samuk|sa-mak))", "รับ"),
        (r"(?:ber|bur)\s*(?:toh|tor|to|thor)", "เบอร์โทร"),
        (r"(?:soon|sun)(?=\s*(?:อยู่|nai|ber|เบอร์|tee|thi|ที่|กศน|gsn))|(?<=เบอร์โทร )(?:soon|sun)", "ศูนย์"),
        (r"(?:kor|khor|khaw)(?=\s*(?:ber|เบอร์|tee yu|ที่อยู่|line|ไลน์))", "ขอ"),
        (r"(?<=ศูนย์ )(?:noi|noy)|(?<=เบอร์โทร )(?:noi|noy)", "หน่อย"),
        (r"(?<=อยู่ )nai|(?<=อยู่)nai", "ที่ไหน"),
        (r"(?:tor|tau|toh)", "ต่อ"),
        (r"(?:ekkasan|ekkasarn|ekasarn|ekasan|aekasan)", "เอกสาร"),
        (r"(?:kha|ka)\s*chai\s*jai", "ค่าใช้จ่าย"),
        (r"kha\s*term", "ค่าเทอม"),
        (r"(?:tao|thao)\s*(?:rai|lai)", "เท่าไหร่"),
        (r"(?:kee|gee|ki|gi|kii|gii)(?=\s*(?:term|pee|wan|duan|baht|mong|pi))", "กี่"),
        (r"(?:jop|jopp|jobb|jope)", "จบ"),
        (r"(?<=กี่ )term|(?<=กี่)term|(?<=ค่า)term", "เทอม"),
        (r"(?<=กี่ )(?:pee|pi)|(?<=กี่)(?:pee|pi)", "ปี"),
        (r"(?:trong|tong)\s*nai", "ตรงไหน"),
        (r"(?:soon|sun)(?=\s*(?:kor sor nor|gor sor nor|กศน|sa kor ror|skr))", "ศูนย์"),
        (r"(?:perd|poed|pert)", "เปิด"),
        (r"(?:tong|dtong)\s*(?:chai|chai|sai)", "ต้องใช้"),
        (r"(?:bat|batr|bud)\s*(?:prachachon|pracha chon|pcc)", "บัตรประชาชน"),
        (r"mee(?=\s)", "มี"),
        (r"(?:arai|alai|rai)", "อะไร"),
        (r"(?<=อะไร\s)(?:bang|bag|mang)|(?<=อะไร)(?:bang|bag|mang)", "บ้าง"),
        # the question ไหม closes a clause (a particle, punctuation, an emoji or Thai typed on after it,
        # "rian dai maiครับ"); the negation ไม่ comes before its verb ("mai mee", "mai dai")
        (r"(?:mai|mhai)(?=[ก-๛]|\s*(?:$|ka|kha|krub|krab|kub|khrap|krap|na|ja|jaa|ครับ|ค่ะ|คะ|นะ|เจ้า|จ้า"
         r"|[^a-z\s\d\u0e00-\u0e7f]))", "ไหม"),
        (r"dai", "ได้"),
        (r"(?:samak|samuk|sa-mak)", "สมัคร"),
        (r"(?:ngoen|ngern|tang)", "เงิน"),
        (r"(?:sia|siea)", "เสีย"),
        (r"(?:tee nai|thi nai|tinai|teenai|yu nai)", "ที่ไหน"),
        (r"(?:yu|yoo)(?=\s*(?:tee|thi|ที่))", "อยู่"),
        (r"(?:gor sor nor|kor sor nor|gorsornor|k\.?s\.?n\.?|gsn)", "กศน"),
        (r"(?:wut|wood|wutti)", "วุฒิ"),
        (r"(?:ka|kha|krub|krab|kub|khrap|krap)(?=$|\s|[.!?,])", "ค่ะ"),
    ]
]
_GRADE_US = re.compile(r"GRADE(\d{1,2})")


def _latin(text: str) -> str:
    for pattern, replacement in _LATIN:
        text = pattern.sub(replacement, text)
    # US grades 7–12 are ม.1–ม.6.
    return _GRADE_US.sub(lambda m: f"ม.{int(m.group(1)) - 6}", text)


@lru_cache(maxsize=256)
def normalize(text: str) -> str:
    """A canonical form for reading: NFC, Thai digits → ASCII, lower case, repeats collapsed,
    chat spellings and dialect mapped to standard words, single spaces. (Cached: the NLU and
    then the dialogue's readers read the same message several times in one turn.)"""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text).translate(_THAI_DIGITS).lower()
    # Typed look-alikes: ํ + า for ำ ("ทํางาน"), เ + เ for แ ("จบเเล้ว").
    text = text.replace("\u0e4d\u0e32", "\u0e33").replace("\u0e40\u0e40", "\u0e41")
    text = _REPEATS.sub(lambda m: m.group(1) or m.group(2), text)
    # Tone-mark/vowel duplicates like "ค่่ะ", "ค่ะะ", "อายุุ".
    text = re.sub(r"([ะ-ฺ็-๎])\1+", r"\1", text)
    # "ม . 3", "ป .6": the level with stray spaces.
    text = re.sub(r"(?<![ก-ฮ])([มป])\s*\.\s*(?=\d)", r"\1.", text)
    if re.search(r"[a-z]{2}", text):
        text = _latin(text)
    for pattern, replacement in _REPLACEMENTS:
        text = pattern.sub(replacement, text)
    return _SPACES.sub(" ", text).strip()


def safe_text(value: object, limit: int = 2000) -> str:
    """Any input as a bounded, valid Unicode string (lone surrogates and NULs removed)."""
    if not isinstance(value, str):
        return ""
    text = value[:limit]
    text = text.encode("utf-8", "ignore").decode("utf-8", "ignore")
    return text.replace("\x00", " ")

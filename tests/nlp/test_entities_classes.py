"""Entity reading on messages written the way people type in LINE, one table per failure class of
issue 11 (DESIGN §3: the learner only, home only, words on their boundaries, reasons told as why
they left, leaving words, negation). Whole entity dicts: an extra key is as wrong as a missing one."""

from __future__ import annotations

from datetime import date

import pytest

from nlp import understand

TODAY = date(2026, 11, 22)

SEVERAL_PEOPLE = [
    # the clause about another person ends where the message turns back to the learner
    (
        "ลูกชายอายุ 16 ปีครับ ออกจากโรงเรียนตอน ม.3 ตอนนี้ไปช่วยลุงทำงานอู่ซ่อมรถอยู่ที่ภูเก็ต บ้านเราอยู่ อ.ทุ่งใหญ่ นครศรีฯ",
        {
            "role": "parent",
            "age": 16,
            "grade": "m3",
            "grade_status": "left_during",
            "district": "8011",
            "province": "80",
        },
    ),
    # ฉัน inside ดิฉัน is no new speaker
    (
        "ลูกสาวดิฉันพิการ นั่งรถเข็น ไปโรงเรียนไม่ไหวเลยหยุดไปตั้งแต่ ป.5 ตอนนี้อายุ 20 แล้ว",
        {"role": "parent", "age": 20, "grade": "p5", "grade_status": "left_during", "reason": "disability"},
    ),
    (
        "คุณครูคะ ดิฉันเป็นแม่ของเด็กที่ออกจากโรงเรียนตอน ม.2 ค่ะ ลูกอายุ 15",
        {"role": "parent", "age": 15, "grade": "m2", "grade_status": "left_during"},
    ),
    (
        "หลานอายุ 15 ค่ะ ออก ม.1 แม่ของหลานอายุ 32 ไปทำงานต่างประเทศ",
        {"role": "parent", "age": 15, "grade": "m1", "grade_status": "left_during"},
    ),
    # the level told with the leaving, not an earlier one named in passing
    (
        "ตอน ป.6 หนูเรียนดีมาก แต่ขึ้น ม.1 ได้เทอมเดียวก็ต้องออก ตอนนี้ 16",
        {"age": 16, "grade": "m1", "grade_status": "left_during"},
    ),
    (
        "แม่เลี้ยงเดี่ยวค่ะ ลูกสาวท้องตอนเรียน ม.4 เลยต้องออกกลางคัน อยากให้เรียนต่อจนจบ ม.6",
        {"role": "parent", "grade": "m4", "grade_status": "left_during", "reason": "pregnancy"},
    ),
    ("ผมอยากสมัครให้ลูกน้องที่ร้าน อายุ 19 จบ ป.6", {"role": "other", "age": 19, "grade": "p6", "grade_status": "completed"}),
    ("หนูเป็นลูกสาวคนเดียวของแม่ ออกตอน ม.2 ค่ะ", {"grade": "m2", "grade_status": "left_during"}),
    ("ไม่ใช่ลูกค่ะ เป็นน้องสาว", {"role": "other"}),
    ("เด็กในปกครองอายุ 15 ค่ะ", {"role": "parent", "age": 15}),
    ("อยากสมัครให้ลูกจ้างที่ร้าน อายุ 20 จบ ป.6", {"role": "other", "age": 20, "grade": "p6", "grade_status": "completed"}),
    ("หนูเองค่ะ 16", {"role": "self", "age": 16}),
    # children told apart by rank: the one the message is for
    (
        "ลูกสองคนค่ะ คนโตจบ ม.6 แล้ว คนเล็กอายุ 15 ออกตอน ม.2 อยากให้คนเล็กเรียน",
        {"role": "parent", "age": 15, "grade": "m2", "grade_status": "left_during"},
    ),
    (
        "ลูกชายคนโต 19 ทำงานแล้ว ส่วนคนเล็ก 16 ออกตอน ม.3 จะสมัครให้คนเล็กค่ะ",
        {"role": "parent", "age": 16, "grade": "m3", "grade_status": "left_during"},
    ),
    (
        "พ่อเขาจบ ม.3 แม่จบ ป.6 ตัวหนูเองอายุ 17 ออกตอน ม.4",
        {"role": "self", "age": 17, "grade": "m4", "grade_status": "left_during"},
    ),
    (
        "ฉันอายุ 32 ปี ไม่ได้สมัครให้ลูกนะ สมัครให้ตัวเอง จบ ป.6",
        {"role": "self", "age": 32, "grade": "p6", "grade_status": "completed"},
    ),
    ("ลูกสุนัขหายไปสองวันแล้ว", {}),
]

HOME_VS_ELSEWHERE = [
    # รับเหมาอยู่ does not hold มาอยู่; the province holding the district named beside it is home
    (
        "ลูกชายผมอายุ 17 ครับ ตอนนี้ผมทำงานรับเหมาอยู่ชลบุรี แต่ลูกอยู่กับย่าที่ อ.พิมาย โคราช",
        {"role": "parent", "age": 17, "district": "3015", "province": "30"},
    ),
    ("ผมทำงานโรงงานที่ระยองครับ บ้านผมอยู่ยโสธร", {"province": "35"}),
    ("ลูกสาวไปฝึกงานที่ภูเก็ต บ้านเราอยู่ อ.ทุ่งสง นครศรีฯ", {"role": "parent", "district": "8009", "province": "80"}),
    ("ทำงานร้านอาหารที่ภูเก็ตค่ะ บ้านเกิดอยู่ อ.ท่าตูม สุรินทร์", {"district": "3203", "province": "32"}),
    ("ลูกอยู่หอที่เชียงใหม่ แต่บ้านเราอยู่ลำพูนค่ะ", {"role": "parent", "province": "51"}),
    # a grandparent who writes lives with the learner
    (
        "ยายเองนะลูก หลานชายยายอายุ 15 แล้ว พ่อแม่เขาไปทำงานกรุงเทพ ยายอยู่ อ.ท่าตูม สุรินทร์",
        {"role": "parent", "age": 15, "district": "3203", "province": "32"},
    ),
    ("ผมไปทำงานเรือประมงที่สงขลา กลับมาบ้านที่ปากพนังเดือนละครั้ง", {"district": "8012"}),
]

WORDS_IN_WORDS = [
    ("เสื้อสีชมพูตัวนี้ราคาเท่าไหร่", {}),
    ("อยู่ชนบทค่ะ ไม่ค่อยมีรถเข้าเมือง", {}),
    ("ขอให้ประเทศสันติสุข", {}),
    ("ผัดผักสะเดาอร่อยดี", {}),
    ("เบอร์หลักสี่มีไหม", {}),
    ("เมื่อวานไปค้างบ้านยายมา", {}),
    ("ขอสมัครเรียนค่ะ", {}),  # อสม inside ขอสมัคร
    ("ลูกหนี้ไม่ยอมจ่ายเงินทำไงดี", {}),
    ("ปวดท้องทุกเดือนจนขาดเรียนบ่อย สุดท้ายก็ออกตอน ม.3", {"grade": "m3", "grade_status": "left_during", "reason": "health"}),
    ("ทำงานกับองค์การบริหารส่วนท้องถิ่น อายุ 24 จบ ม.3 ค่ะ", {"age": 24, "grade": "m3", "grade_status": "completed"}),
    ("ม.6 เทอม 1 แล้วออกค่ะ", {"grade": "m6", "grade_status": "left_during"}),  # เทอม 1 is no ม.1
    ("ลาคลอดประกันสังคมได้กี่วัน", {}),
    ("ครอบครัวลี้ภัยมาจากพม่า", {}),  # ลี้ภัย is no อ.ลี้, a family named is no family reason
    ("พนมมือไหว้ขอบคุณค่ะ", {}),
    ("อยู่ลี้ค่ะ", {"district": "5104"}),
]

REASONS = [
    ("ค้างค่าเทอมไว้เยอะ เลยออกตอน ม.5", {"grade": "m5", "grade_status": "left_during", "reason": "financial"}),
    ("เพื่อนๆล้อว่าอ้วนทุกวัน หนูเลยไม่ไปโรงเรียนอีกเลย", {"reason": "bullying", "grade_status": "left_during"}),
    (
        "ตอนนี้ทำงานร้านสะดวกซื้อ แต่ที่ออกจาก ม.2 เพราะโดนรุ่นพี่รีดไถทุกวัน",
        {"grade": "m2", "grade_status": "left_during", "reason": "bullying"},
    ),
    (
        "ลูกผมอายุ 16 ออกตอน ม.3 ครับ ที่บ้านทำสวนยาง รายได้ไม่พอ",
        {"role": "parent", "age": 16, "grade": "m3", "grade_status": "left_during", "reason": "financial"},
    ),
    (
        "ดิฉันมีลูกคนเดียว ตอนนี้ลูกอายุ 14 ไม่ได้ไปโรงเรียนมาเกือบปีแล้วค่ะ เพราะป่วยเป็นซึมเศร้า เราย้ายมาอยู่ อ.บางพลี",
        {"role": "parent", "age": 14, "reason": "health", "district": "1103"},
    ),
    # what they left school to do; someone else's trouble is not the learner's
    (
        "หนูออกจากโรงเรียนตอน ม.3 ค่ะ ตอนนั้นพ่อประสบอุบัติเหตุ ทำงานไม่ได้ หนูเลยต้องออกมาทำงานแทน",
        {"grade": "m3", "grade_status": "left_during", "reason": "work"},
    ),
    (
        "ตอนนั้นแฟนท้อง ผมต้องออกมาทำงานเลี้ยงลูก ตอนนั้นเรียน ปวช.1",
        {"grade": "pvc1", "grade_status": "left_during", "reason": "work"},
    ),
    (
        "หลานชายอายุ 17 ค่ะ พ่อเขาติดคุก แม่ทิ้งไป ยายแก่แล้วไม่มีเงินส่ง ออกตอน ม.2",
        {"role": "parent", "age": 17, "grade": "m2", "grade_status": "left_during", "reason": "financial"},
    ),
    (
        "ตอน ม.1 โดนรุ่นพี่ตบหน้าห้องน้ำ กลัวมากไม่กล้าไปโรงเรียนอีกเลย",
        {"grade": "m1", "grade_status": "left_during", "reason": "bullying"},
    ),
    (
        "ครูค่ะ มีลูกศิษย์อายุ 15 ย้ายตามพ่อแม่ที่ไปทำงานก่อสร้างบ่อย เลยไม่ได้เรียนต่อหลัง ป.6",
        {"role": "other", "age": 15, "grade": "p6", "grade_status": "completed", "reason": "migration"},
    ),
    (
        "เรียนเจ้าหน้าที่ค่ะ ลูกชายติดเกมหนักจนไม่ยอมไปโรงเรียน โดนให้ออกตอน ม.2",
        {"role": "parent", "grade": "m2", "grade_status": "left_during", "reason": "other"},
    ),
    (
        "ลูกชายอายุ 16 ออกจากโรงเรียนตอน ม.2 ตอนนี้อยู่บ้านเฉยๆ ติดเกมทั้งวัน",
        {"role": "parent", "age": 16, "grade": "m2", "grade_status": "left_during"},
    ),
    ("พ่อตกงาน ที่บ้านส่งเรียนไม่ไหว เลยออกตอน ม.1", {"grade": "m1", "grade_status": "left_during", "reason": "financial"}),
    # a job after finishing school, someone else's job, a job wished for: no reason
    (
        "จบ ม.3 แล้วไปทำงานโรงงานที่ระยองพักหนึ่ง ตอนนี้กลับมาอยู่บ้านที่ อ.นางรอง บุรีรัมย์",
        {"grade": "m3", "grade_status": "completed", "district": "3104", "province": "31"},
    ),
    ("ลูกชายไปทำงานโรงแรมที่ชลบุรี แต่บ้านอยู่ อ.วังสะพุง จ.เลย", {"role": "parent", "district": "4209", "province": "42"}),
    ("วันนี้ไม่อยากไปทำงานเลย", {}),
    # asked about in an eligibility question, not why the learner left
    ("ท้องอยู่เรียนได้ไหมคะ", {}),
    ("คนไม่มีสัญชาติเรียนได้ไหมคะ", {}),
]

CORRECTIONS = [
    ("ตอนแรกบอกว่าอยู่ลำปาง จริงๆ อยู่ลำพูนค่ะ", {"province": "51"}),
    ("ขอแก้เป็น อ.วารินชำราบ ค่ะ ไม่ใช่เมืองอุบล", {"district": "3415"}),
    ("ไม่ได้อยู่เถินแล้ว ย้ายไปอยู่ อ.แม่ทะ", {"district": "5210"}),
    ("หนูอายุ 16 ค่ะ เอ้ย 17 แล้ว", {"age": 17}),
    ("ลูกอายุ 15 ค่ะ ยังเรียน ม.3 อยู่ แต่อยากย้ายมาเรียน กศน", {"role": "parent", "age": 15, "grade": "m3"}),
    (
        "ลูกมีลูกตอนอายุ 16 ค่ะ ตอนนี้ 18 ออกตอน ม.4",
        {"role": "parent", "age": 18, "grade": "m4", "grade_status": "left_during", "reason": "pregnancy"},
    ),
    ("เพื่อนบ้านแนะนำมาค่ะ ลูกอายุ 16", {"role": "parent", "age": 16}),
]

TOLD_AS_WHY = [
    (
        "สวัสดีค่ะ หลานอายุ 16 ปี จบ ป.6 แล้วไม่ได้เรียนต่อ เพราะพ่อแม่ไปทำงานต่างประเทศ อยู่กับตายาย",
        {"role": "parent", "age": 16, "grade": "p6", "grade_status": "completed", "reason": "family"},
    ),
    ("หนูขายของออนไลน์ มีลูกค้าเยอะเลยไม่ค่อยมีเวลา เรียนแค่วันอาทิตย์ได้ไหมคะ", {}),
    ("มีลูกน้องในไซต์งานสิบคน แต่ตัวเองจบแค่ ป.6", {"role": "self", "grade": "p6", "grade_status": "completed"}),
    ("พี่สาวเคยเรียน กศน จนจบ ม.6 ค่ะ ตอนนี้หนูอายุ 17 ออกตอน ม.3", {"age": 17, "grade": "m3", "grade_status": "left_during"}),
    (
        "ลูกสาวท้องเลยต้องออกตอน ม.4 อายุลูกสาว 17",
        {"role": "parent", "age": 17, "grade": "m4", "grade_status": "left_during", "reason": "pregnancy"},
    ),
    ("จบ ม.6 ใช้เวลากี่เทอม", {}),
    ("เพื่อนชวนไปสงกรานต์ที่ขอนแก่น ไปดีไหม", {}),
]

GUARDIANS_AND_HOMES = [
    (
        "แม่ค่ะ น้องอายุ 15 หยุดเรียนไปตอน ม.1 ตอนนี้อยู่ อ.เมือง จ.ลพบุรี",
        {
            "role": "parent",
            "age": 15,
            "grade": "m1",
            "grade_status": "left_during",
            "district": "1601",
            "province": "16",
        },
    ),
    (
        "หลานชายอายุ 16 ค่ะ โรงเรียนเลยให้ออกตอน ม.3 ยายเลี้ยงเขาอยู่ที่ อ.เชียงคาน จ.เลย",
        {
            "role": "parent",
            "age": 16,
            "grade": "m3",
            "grade_status": "left_during",
            "district": "4203",
            "province": "42",
        },
    ),
    ("ลูกเรียน กศน อยู่แล้วที่กรุงเทพ แต่เราย้ายกลับมาอยู่บ้านที่หนองบัวลำภู", {"role": "parent", "province": "39"}),
]

LEAVING_AND_NEGATION = [
    ("ข่อยบ่ได้ไปโฮงเฮียนตั้งแต่ ม.1 เด้อ", {"grade": "m1", "grade_status": "left_during"}),
    ("เลิกไปตั้งแต่ ป.3 ค่ะ", {"grade": "p3", "grade_status": "left_during"}),
    ("ขี้เกียจเรียน เลยเซาเรียนตั้งแต่ ม.2", {"grade": "m2", "grade_status": "left_during", "reason": "learning"}),
    ("บ่ได้เฮียนแล้วตั้งแต่ ม.1 ย้อนบ่มีเงิน", {"grade": "m1", "grade_status": "left_during", "reason": "financial"}),
    ("ช่วงนี้มาช่วยญาติขายของที่ตลาดนัดจตุจักร บ้านจริงอยู่ อ.นางรอง", {"district": "3104"}),
    ("โดนรีไทร์ตอน ปวช.2 ครับ", {"grade": "pvc2", "grade_status": "left_during"}),
    ("แม่บอกให้หยุดตอน ป.6", {"grade": "p6", "grade_status": "left_during"}),
    ("ไม่ได้จบ ม.3 นะคะ ออกตอน ม.2", {"grade": "m2", "grade_status": "left_during"}),
    ("ไม่ได้ออกตอน ม.5 ค่ะ ออกตอน ม.4", {"grade": "m4", "grade_status": "left_during"}),
    ("ปี 66 ออกจากโรงเรียน ตอนนั้น ม.1", {"grade": "m1", "grade_status": "left_during"}),  # a leaving year
    (
        "my brother is 17, he left school at M.3",
        {"role": "other", "age": 17, "grade": "m3", "grade_status": "left_during"},
    ),
    ("รับสมัครพนักงาน วุฒิ ม.3 ขึ้นไป อายุ 18-35", {}),
    ("ขายหนังสือเรียนมือสอง ม.4-ม.6", {}),
    ("รับจ้างทำใบจบ ม.3 ม.6 ราคาถูก", {}),
    ("สมัครทหารพรานต้องจบ ม.3 ไหม", {}),
    ("บ่ฮู้ว่าสิเฮียนอีหยังดี", {"path": "unsure"}),
    ("อยากต่อ ปวช ค่ะ", {"path": "vocational"}),
    ("ao sai archeep", {"path": "vocational"}),
    ("my son wants the general track", {"role": "parent", "path": "general"}),
    ("หนูอยากเป็นลูกจ้างบริษัท ต้องมีวุฒิ ม.6", {}),
]

SCENES_AND_OTHERS_CHILDREN = [
    # a place in a scene told (weather, traffic, news, outings) with no home cue is no home
    ("ฝนตกที่หาดใหญ่หนักมากเลยวันนี้", {}),
    ("รถติดแถวบางนาชั่วโมงนึงแล้ว", {}),
    ("น้ำท่วมที่หาดใหญ่ บ้านอยู่ อ.เถิน", {"district": "5208"}),
    # ต่างจังหวัด names no province, so the เลย after it stays a word
    ("ย้ายไปต่างจังหวัด เลยไม่ได้ไปโรงเรียน", {"reason": "migration"}),
    # someone else's child (a neighbour's, a friend's) is not the speaker's: other
    (
        "ลูกเพื่อนบ้านอายุ 15 ออกจากโรงเรียน ผมอยากช่วยสมัครให้",
        {"role": "other", "age": 15, "grade_status": "left_during"},
    ),
    ("ลูกชายของเพื่อนอายุ 17 ออกตอน ม.4", {"role": "other", "age": 17, "grade": "m4", "grade_status": "left_during"}),
    # a grandparent who writes of raising the grandchild is the speaker: their home is the learner's
    (
        "ยายเลี้ยงหลานมาตั้งแต่เล็ก หลานอายุ 17 แล้ว ออกจากโรงเรียนตอน ม.3 เพราะโดนเพื่อนรังแกบ่อย "
        "ยายอยู่ อ.พล ขอนแก่น จะให้หลานเรียน กศน ต้องทำยังไงคะ",
        {
            "role": "parent",
            "age": 17,
            "grade": "m3",
            "grade_status": "left_during",
            "reason": "bullying",
            "district": "4012",
            "province": "40",
        },
    ),
]

PATHS_AND_GUARDIANS = [
    # the ม.6 certificate wished for is the general path (its other path is ปวช.); ม.3 names none;
    # a certificate asked about, none
    ("อยากได้วุฒิ ม.6 ไปสมัครงานค่ะ", {"path": "general"}),
    ("อยากได้วุฒิ ม.3 ค่ะ", {}),
    ("เรียนกี่ปีถึงจะได้วุฒิ ม.6", {}),
    ("เอาสายทั่วไปครับ", {"path": "general"}),
    ("แบบไหนก็ได้ค่ะ ขอแค่ได้วุฒิ", {"path": "unsure"}),
    # a path wished for, then where they live: อยู่ after it is no path already taken
    (
        "สมัครให้ตัวเอง เอาสายสามัญ อยู่ อ.ชุมพลบุรี สุรินทร์",
        {"role": "self", "path": "general", "district": "3202", "province": "32"},
    ),
    # a guardian who says who they are stays a parent when the child had a baby
    (
        "แม่ของน้องมายด์ค่ะ น้องอายุ 18 ท้องตอน ม.5 เลยออกมาเลี้ยงลูก",
        {"role": "parent", "age": 18, "grade": "m5", "grade_status": "left_during", "reason": "pregnancy"},
    ),
    ("เป็นป้าของน้องค่ะ น้องอายุ 16 ออกตอน ม.3", {"role": "parent", "age": 16, "grade": "m3", "grade_status": "left_during"}),
    # a relative's home the learner lives in is home
    ("ย้ายมาอยู่บ้านยายที่ อ.เถิน ค่ะ อายุ 15", {"age": 15, "district": "5208"}),
]

STORY_REASONS = [
    # after a pregnancy told, a toddler named is the learner's own child, not the learner
    (
        "ท้องตอน ม.3 เลยต้องออกค่ะ ตอนนี้ลูกหนู 2 ขวบแล้ว อยากเรียนต่อ",
        {"grade": "m3", "grade_status": "left_during", "reason": "pregnancy"},
    ),
    # another adult's pregnancy is not the learner's reason
    (
        "หลานอายุ 15 ครับ แม่เขาตั้งท้องตอนเรียน ม.2 หลานออกตอน ม.1",
        {"role": "parent", "age": 15, "grade": "m1", "grade_status": "left_during"},
    ),
    (
        "เพื่อนในห้องชอบถ่ายคลิปล้อหนูลงเน็ต หนูเลยออกตอน ม.2",
        {"grade": "m2", "grade_status": "left_during", "reason": "bullying"},
    ),
    ("บัตรประชาชนหายแล้วทำใหม่ไม่ได้ เลยไม่ได้เรียนต่อค่ะ", {"reason": "documents"}),
    ("พ่อผมกินเหล้าแล้วทำร้ายแม่ประจำ ผมเลยต้องหยุดเรียนไป", {"grade_status": "left_during", "reason": "family"}),
    ("ตอนนั้นแม่โดนเลิกจ้าง ผมเลยต้องออกจากโรงเรียน", {"grade_status": "left_during", "reason": "financial"}),
    ("มีคนชวนไปทำงานเงินดีกว่าเรียน เลยเลิกเรียนตอน ม.3", {"grade": "m3", "grade_status": "left_during", "reason": "work"}),
    ("หนูเรียนช้า ต้องซ้ำชั้น เลยไม่อยากไปต่อ ออกตอน ป.6", {"grade": "p6", "grade_status": "left_during", "reason": "learning"}),
    ("ยายกับตาแก่แล้ว หนูต้องอยู่ดูแลท่านเลยหยุดเรียน", {"grade_status": "left_during", "reason": "family"}),
    # a parent's accident is not the learner's health; no one left to earn is money
    (
        "ลูกออกตอน ม.2 เพราะพ่อเขาประสบอุบัติเหตุ ไม่มีคนหาเงินค่ะ",
        {"role": "parent", "grade": "m2", "grade_status": "left_during", "reason": "financial"},
    ),
    ("ผมประสบอุบัติเหตุเลยต้องออกตอน ม.2", {"grade": "m2", "grade_status": "left_during", "reason": "health"}),
    ("ออกจากโรงเรียนตอน ม.4 เพราะแม่เขาเสียค่ะ", {"grade": "m4", "grade_status": "left_during", "reason": "family"}),
]

LEAVING_STORIES = [
    # dropped out (หลุด), could not go any more since a level, dropped from a course (ซิ่ว)
    ("ป่วยบ่อยจนหลุดไปตอน ม.4 ค่ะ", {"grade": "m4", "grade_status": "left_during", "reason": "health"}),
    ("ต้องเฝ้าบ้านให้แม่ ไปโรงเรียนไม่ได้ตั้งแต่ ป.6 ครับ", {"grade": "p6", "grade_status": "left_during"}),
    ("ซิ่วออกจาก ปวช.2 ครับ", {"grade": "pvc2", "grade_status": "left_during"}),
    ("หลุดโลกไปแล้ว", {}),
    # a certificate not yet got is no completion
    ("ยังไม่ได้วุฒิ ม.3 เลยค่ะ", {"grade": "m3"}),
    # a parent who tells what they had the child do speaks of the child
    (
        "พ่อครับ ลูกชายผมอายุ 15 เป็นออทิสติก ผมเลยให้ออกตอน ป.6 ยังไม่ได้วุฒิ",
        {"role": "parent", "age": 15, "grade": "p6", "grade_status": "left_during", "reason": "disability"},
    ),
    ("ลูกชายอายุ 15 ผมจบ ม.6", {"role": "parent", "age": 15}),
    # an employee of one's shop is someone else
    ("ลูกจ้างร้านป้าอายุ 17 อยากเรียนต่อ", {"role": "other", "age": 17}),
    # a province name that starts a longer word is no province; one run into the next word still is
    ("ฝึกกระบี่กระบองอยู่ค่ะ", {}),
    ("อยู่ลำปางบ้านเรา", {"province": "52"}),
    ("บ้านอยู่สุรินทร์แต่ทำงานกรุงเทพ", {"province": "32"}),
    # a friend told only as having studied, then the speaker's own wish: the speaker is the learner
    ("เพื่อนหนูจบ กศน แล้ว หนูก็อยากเรียนค่ะ อายุ 18 ออกตอน ม.3", {"age": 18, "grade": "m3", "grade_status": "left_during"}),
    ("เพื่อนหนูอยากเรียน กศน อายุ 17 ค่ะ", {"role": "other", "age": 17}),
    # a sibling registered for by the speaker is the learner
    (
        "น้องสาวผมอายุ 14 ออกตอน ม.1 ผมเป็นพี่ชายครับ จะสมัครให้น้อง",
        {"role": "other", "age": 14, "grade": "m1", "grade_status": "left_during"},
    ),
]


@pytest.mark.parametrize(
    ("text", "entities"),
    LEAVING_STORIES
    + STORY_REASONS
    + PATHS_AND_GUARDIANS
    + SCENES_AND_OTHERS_CHILDREN
    + SEVERAL_PEOPLE
    + HOME_VS_ELSEWHERE
    + WORDS_IN_WORDS
    + REASONS
    + CORRECTIONS
    + TOLD_AS_WHY
    + GUARDIANS_AND_HOMES
    + LEAVING_AND_NEGATION,
)
def test_entities_read_as_a_person_means_them(text: str, entities: dict) -> None:
    assert understand(text, today=TODAY).told == entities

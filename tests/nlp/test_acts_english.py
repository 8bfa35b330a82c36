"""The strongest act (DESIGN §3) of English, mixed Thai-English and romanised messages, and of long
stories that end with a question or a wish: read as the same message in Thai would be."""

from datetime import date

import pytest

from nlp import understand

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # English: a question with details is the question.
        ("my brother is 17, he quit school in M.4 last year. is it free to study with you?", "ask_cost"),
        ("I'm 21 and I only finished P.6. what papers do I need to bring?", "ask_documents"),
        ("my daughter is 15 and pregnant, she left in M.3. can she still study?", "ask_eligibility"),
        ("I work weekdays at a shop in Chonburi. do you have classes on Sunday?", "ask_schedule"),
        ("where is your office in Lampang? I want to bring my nephew", "ask_office"),
        # English: a wish, and "how do I apply" (DESIGN §3's "สมัครเรียน กศน. ยังไง" is `enroll`).
        ("I left school in M.2 and now I really want to go back", "enroll"),
        ("how do I register my son? he is 16 and stopped in M.3", "enroll"),
        # English: details only, a command over everything else.
        ("he is 16, left in M.3, we live in Surin", "inform"),
        ("my son is 16 and left in M.3. is it free? I want to talk to a staff member please", "human"),
        # Mixed Thai-English.
        ("ลูกอายุ 15 ค่ะ dropped out in M.2, how much does it cost?", "ask_cost"),
        ("อยากเรียนต่อครับ where is your office? I live in Nakhon Pathom", "ask_office"),
        # Romanised Thai question words.
        ("luk ayu 16 ork ton mor 3, rian free mai ka", "ask_cost"),
        ("phom ayu 18 ork ton mor 4, yak glub pai rian krub", "enroll"),
    ],
)
def test_english_and_mixed_acts(text: str, intent: str) -> None:
    assert understand(text, TODAY).intent == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # A long story that ends with a question, with or without a question particle.
        ("สวัสดีค่ะ ลูกชายอายุ 17 ออกจากโรงเรียนตอน ม.4 เพราะต้องไปช่วยพ่อทำไร่ ตอนนี้พ่อเขาหายป่วยแล้ว "
         "ลูกอยากกลับไปเรียน แม่อยากทราบค่าใช้จ่ายทั้งหมดค่ะ", "ask_cost"),
        ("หลานอายุ 15 ค่ะ เรียนถึง ป.6 แล้วไม่ได้ต่อ ย่าเลี้ยงอยู่คนเดียวที่ อ.เชียงคาน "
         "อยากให้หลานเรียน กศน. ต้องเอาเอกสารอะไรไปบ้าง", "ask_documents"),
        # … or with a wish: the wish.
        ("ผมอายุ 20 ครับ ออกตอน ม.5 เพราะพ่อเสีย ต้องทำงานส่งน้องเรียน ตอนนี้น้องจบแล้ว "
         "ผมอยากกลับไปเรียนให้จบ ม.6 ครับ", "enroll"),
        # … or with a command: the command.
        ("ลูกสาวอายุ 16 ออกตอน ม.2 อยู่ อ.เมืองเลย ค่ะ เรียนฟรีไหมคะ ขอคุยกับเจ้าหน้าที่ด้วยค่ะ", "human"),
    ],
)
def test_long_stories_take_their_strongest_act(text: str, intent: str) -> None:
    assert understand(text, TODAY).intent == intent

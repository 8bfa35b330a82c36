"""Fires signed webhook events at a URL with fixed concurrency from separate processes, and
measures throughput and latency. Bounded by a duration; traffic only to the given loopback URL."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import multiprocessing
import random
import statistics
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# A realistic intake, one message per turn, plus questions people ask. Each sender thread
# cycles through its own users, each user through the script in order, so a run covers every
# step of the intake (consent, each slot, the summary, the submission, a status question).
# What people type differs from user to user (names, ages, levels, homes, reasons, phones,
# how they say yes); the quick-reply taps are the same for everyone, as they are in LINE.
USERS_PER_THREAD = 8
_NAMES = [
    "ต้น",
    "มายด์",
    "น้องเมย์",
    "บอส",
    "แพรว",
    "ชื่อปาล์มครับ",
    "เจมส์",
    "ฝ้าย",
    "ผมชื่อกอล์ฟ",
    "หนูชื่อแนนค่ะ",
    "โอ๊ต",
    "ใบเตย",
]
_AGES = ["17", "อายุ 16 ค่ะ", "18 ครับ", "๑๙", "สิบเจ็ด", "เกิดปี 2550", "22", "อายุ 25", "30 ครับ", "15"]
_LEVELS = ["ม.2", "ม.3", "ป.6", "ม.4 ครับ", "ม.5", "เรียนถึง ม.1", "ม.6", "ปวช.1"]
_STATUS = ["ออกกลางคัน", "ยังไม่จบ", "จบแล้ว", "ออกกลางคันครับ", "ไม่จบค่ะ"]
_HOMES = [
    "อยู่อำเภอเถิน ลำปาง",
    "อ.เกาะคา จ.ลำปาง",
    "อยู่เชียงของ เชียงราย",
    "อำเภอเมืองขอนแก่น",
    "ป่าซาง ลำพูน",
    "อยู่บางบัวทอง นนทบุรี",
    "เขตบางกะปิ กทม.",
    "อยู่ อ.ฝาง เชียงใหม่ค่ะ",
    "52160",
    "อำเภอวารินชำราบ อุบลฯ",
]
_QUESTIONS = ["เรียนฟรีไหม", "ต้องใช้เอกสารอะไรบ้าง", "กี่ปีจบครับ", "วุฒิเท่ากับในโรงเรียนไหม", "เรียนวันไหนบ้าง"]
_REASONS = [
    "ต้องทำงาน",
    "ที่บ้านไม่มีเงิน",
    "ย้ายบ้านบ่อย",
    "ไม่อยากบอก",
    "ตั้งครรภ์ค่ะ",
    "ป่วยครับ",
    "โดนแกล้งที่โรงเรียน",
]
_PATHS = ["สายสามัญ", "สายอาชีพ", "ยังไม่แน่ใจ"]
_YES = ["ยืนยัน", "ถูกต้องค่ะ", "ใช่ครับ", "ยืนยัน"]


def script(user_number: int) -> list[str]:
    """One user's messages, in order."""
    chance = random.Random(user_number)
    pick = chance.choice

    phone = "08" + str(chance.randrange(10_000_000, 100_000_000))
    return [
        pick(["สวัสดีครับ", "หวัดดีค่ะ", "สวัสดีค่ะ"]),
        "อยากกลับไปเรียน",
        "ยินยอม",
        "ตัวเอง",
        pick(_NAMES),
        pick(_AGES),
        pick(_LEVELS),
        pick(_STATUS),
        pick(_QUESTIONS),
        pick(_HOMES),
        pick(_REASONS),
        pick(_PATHS),
        pick([phone, "ติดต่อทางไลน์", phone]),
        pick(_YES),
        "เรื่องถึงไหนแล้ว",
        pick(["ขอบคุณครับ", "ขอบคุณค่ะ", "ขอบใจเด้อ"]),
    ]


def sign(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def event_body(user: str, text: str) -> bytes:
    event = {
        "type": "message",
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": user},
        "webhookEventId": "01" + uuid.uuid4().hex.upper()[:24],
        "deliveryContext": {"isRedelivery": False},
        "replyToken": uuid.uuid4().hex,
        "message": {"id": str(uuid.uuid4().int)[:18], "type": "text", "text": text, "quoteToken": "q"},
    }
    return json.dumps({"destination": "U" + "0" * 32, "events": [event]}, ensure_ascii=False).encode()


def _worker(
    url: str,
    secret: str,
    seed: str,
    threads: int,
    warmup: float,
    duration: float,
    first_steps: dict[int, int],
    out: multiprocessing.Queue,
) -> None:
    import threading

    parts = urlsplit(url)
    start = time.monotonic()
    measure_from, stop_at = start + warmup, start + warmup + duration
    results: list[tuple[float, float, int]] = []
    last_steps: dict[int, int] = {}
    lock = threading.Lock()

    def loop(index: int) -> None:
        users = [f"U{seed}{index:04d}{n:04d}".ljust(33, "0")[:33] for n in range(USERS_PER_THREAD)]
        scripts = [script(index * USERS_PER_THREAD + n + int(seed[:6], 16)) for n in range(USERS_PER_THREAD)]
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        step = first_steps.get(index, 0)  # where this thread's users were at the end of the last round
        local: list[tuple[float, float, int]] = []
        while time.monotonic() < stop_at:
            user = users[step % len(users)]
            messages = scripts[step % len(users)]
            text = messages[(step // len(users)) % len(messages)]
            step += 1
            body = event_body(user, text)
            t0 = time.monotonic()
            try:
                connection.request(
                    "POST",
                    "/callback",
                    body,
                    {"Content-Type": "application/json", "X-Line-Signature": sign(body, secret)},
                )
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
                status = 0
            t1 = time.monotonic()
            if t0 >= measure_from and t1 <= stop_at:
                local.append((t0, t1 - t0, status))
        connection.close()
        with lock:
            results.extend(local)
            last_steps[index] = step

    workers = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    out.put((seed, results, last_steps))


@dataclass
class LoadResult:
    events_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int
    # CPU milliseconds per event over the measured window (filled in by bench.run).
    app_cpu_ms: float = 0.0
    postgres_cpu_ms: float = 0.0
    machine_cpu_ms: float = 0.0
    fake_line_cpu_ms: float = 0.0
    loadgen_cpu_ms: float = 0.0
    # The successful requests' latencies in seconds, to pool rounds (left out of reports).
    latencies: list[float] = field(default_factory=list, repr=False)
    # Where each sender thread's users got to in their scripts, to go on from in the next round.
    resume: dict[str, dict[int, int]] = field(default_factory=dict, repr=False)

    @property
    def cpu_per_event_ms(self) -> float:
        """Everything the benchmark runs, per event: app, PostgreSQL, fake LINE, load generator."""
        return self.app_cpu_ms + self.postgres_cpu_ms + self.fake_line_cpu_ms + self.loadgen_cpu_ms


def run(
    url: str,
    secret: str,
    *,
    concurrency: int = 16,
    processes: int = 2,
    warmup: float = 3.0,
    duration: float = 15.0,
    seed: str | None = None,
    resume: dict[str, dict[int, int]] | None = None,
) -> LoadResult:
    """`concurrency` senders in `processes` processes, for `warmup` + `duration` seconds; only
    the `duration` is measured. The same `seed` and the `resume` of the previous result make
    the same users go on with their intakes where they left off."""
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    seed = seed or uuid.uuid4().hex[:8]
    resume = resume or {}
    per = max(1, concurrency // processes)
    seeds = [f"{seed}{p}" for p in range(processes)]
    procs = [
        context.Process(target=_worker, args=(url, secret, s, per, warmup, duration, resume.get(s, {}), out))
        for s in seeds
    ]
    for p in procs:
        p.start()
    samples: list[tuple[float, float, int]] = []
    last: dict[str, dict[int, int]] = {}
    for _ in procs:
        worker_seed, results, steps = out.get(timeout=warmup + duration + 60)
        samples.extend(results)
        last[worker_seed] = steps
    for p in procs:
        p.join(30)
    ok = [latency for _, latency, status in samples if status == 200]
    result = summarize(ok, duration, errors=len(samples) - len(ok), requests=len(samples))
    result.resume = last
    return result


def summarize(latencies: list[float], seconds: float, *, errors: int, requests: int) -> LoadResult:
    """Events/s and p50/p99 of the successful requests' latencies (seconds) over `seconds`."""
    ok = sorted(latencies)
    if not ok:
        return LoadResult(0.0, 0.0, 0.0, errors, requests)
    return LoadResult(
        events_per_second=len(ok) / seconds,
        p50_ms=statistics.median(ok) * 1000,
        p99_ms=ok[min(len(ok) - 1, int(len(ok) * 0.99))] * 1000,
        errors=errors,
        requests=requests,
        latencies=ok,
    )

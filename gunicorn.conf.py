"""Gunicorn reads this file from the working directory (the Procfile's `web:` line runs there).

Settings that survive slow clients (issue 12 §4, DESIGN §7): threaded workers sized to the
machine, each request given a bounded time to arrive (`bot.gunicorn_worker`: a client
trickling its headers or body loses its connection after `REQUEST_READ_SECONDS`, so it holds a
thread for seconds, not for ever), and time limits on everything else. Put a buffering
reverse proxy in front in production (deploy/nginx.conf, see the README).

The hook: before it takes requests, each worker loads the event handlers, trains the NLU
(about a second), reads the knowledge base and the place tables and sets up the ORM's
mappers, so no webhook waits for them, and then freezes what it has built for the garbage
collector. `create_app` does not do it, so the operator's commands and the outbox worker start
without it. Other apps served from here (the benchmark's echo bot) are left alone.

Why freeze: the NLU's vocabularies, pythainlp's word trie and geothai's tables are ~700 000
objects that live as long as the process. Python's full collection walks all of them each
time (about half a second here, with the process stopped); `gc.freeze()` moves them out of
its sight, as Python's documentation suggests for pre-forked servers.
"""

import gc
import os

# One process per core (at least two, so one busy or restarting process never stops the
# app), each with a pool of threads: a webhook mostly waits (database, LINE), so threads, not
# processes, give it concurrency; the GIL is released while it waits.
_cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
workers = max(2, _cores)
threads = 32
worker_class = "bot.gunicorn_worker.DeadlineThreadWorker"
# Connections a worker keeps (waiting, kept alive) beyond those its threads are serving.
worker_connections = 1000
# The address: gunicorn's own default (127.0.0.1:8000, or 0.0.0.0:$PORT when PORT is set), or --bind.
# A worker whose main loop is silent this long is restarted (its threads are bounded anyway).
timeout = 30
graceful_timeout = 20
# Kept-alive connections wait this long for the next request (LINE reuses connections).
keepalive = 5
# Request line and headers: gunicorn's limits, stated (LINE's are far below them).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# Restart each worker now and then (jittered), so no slow leak ever grows.
max_requests = 20000
max_requests_jitter = 2000


def post_worker_init(worker):
    services = getattr(getattr(worker, "wsgi", None), "extensions", {}).get("rianto")
    if services is not None:
        from sqlalchemy.orm import configure_mappers

        import handlers

        handlers.warm_up()
        configure_mappers()
        gc.freeze()
        worker.log.info("NLU ready; %d objects frozen for the garbage collector", gc.get_freeze_count())

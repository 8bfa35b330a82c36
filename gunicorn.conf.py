"""Gunicorn reads this file from the working directory (the Procfile's `web:` line runs there).

It only adds one hook: before it takes requests, each worker loads the event handlers, trains
the NLU (about a second), reads the knowledge base and the place tables and sets up the ORM's
mappers, so no webhook waits for them, and then freezes what it has built for the garbage
collector.
`create_app` does not do it, so the operator's commands and the outbox worker start without
it. Other apps served from here (the benchmark's echo bot) are left alone.

Why freeze: the NLU's vocabularies, pythainlp's word trie and geothai's tables are ~700 000
objects that live as long as the process. Python's full collection walks all of them each
time (about half a second here, with the process stopped); `gc.freeze()` moves them out of
its sight, as Python's documentation suggests for pre-forked servers.
"""

import gc


def post_worker_init(worker):  # noqa: ANN001 - gunicorn's hook signature
    services = getattr(getattr(worker, "wsgi", None), "extensions", {}).get("rianto")
    if services is not None:
        from sqlalchemy.orm import configure_mappers

        import handlers

        handlers.warm_up()
        configure_mappers()
        gc.freeze()
        worker.log.info("NLU ready; %d objects frozen for the garbage collector", gc.get_freeze_count())

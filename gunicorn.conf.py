"""Gunicorn reads this file from the working directory (the Procfile's `web:` line runs there).

It only adds one hook: each worker trains the NLU (about a second) before it takes requests,
so no webhook waits for it. `create_app` does not do it, so the operator's commands and the
outbox worker start without it. Other apps served from here (the benchmark's echo bot) are
left alone.
"""


def post_worker_init(worker):  # noqa: ANN001 - gunicorn's hook signature
    services = getattr(getattr(worker, "wsgi", None), "extensions", {}).get("rianto")
    if services is not None:
        import nlp

        nlp.warm_up()
        worker.log.info("NLU ready")

"""The fake LINE API as a WSGI app for gunicorn in the benchmark (any reply token accepted)."""

from bot.fakeline import FakeLine

app = FakeLine(accept_any_reply_token=True).wsgi_app

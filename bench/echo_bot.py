"""A minimal echo bot with the same SDK, for the benchmark's baseline: verify the signature,
parse, and send one reply per text event. Configured from the same environment variables."""

from __future__ import annotations

import os

from flask import Flask, abort, request
from linebot.v3 import WebhookHandler
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import ApiClient, Configuration, MessagingApi, ReplyMessageRequest, TextMessage
from linebot.v3.webhooks import MessageEvent, TextMessageContent


def create_app() -> Flask:
    app = Flask(__name__)
    handler = WebhookHandler(os.environ["LINE_CHANNEL_SECRET"])
    configuration = Configuration(
        host=os.environ["LINE_API_BASE_URL"], access_token=os.environ["LINE_CHANNEL_ACCESS_TOKEN"]
    )
    api = MessagingApi(ApiClient(configuration))

    @handler.add(MessageEvent, message=TextMessageContent)
    def echo(event: MessageEvent) -> None:
        api.reply_message(
            ReplyMessageRequest(reply_token=event.reply_token, messages=[TextMessage(text=event.message.text)]),
            _request_timeout=(3, 5),
        )

    @app.post("/callback")
    def callback() -> str:
        signature = request.headers.get("X-Line-Signature", "")
        try:
            handler.handle(request.get_data(as_text=True), signature)
        except InvalidSignatureError:
            abort(400)
        return "OK"

    @app.get("/healthz")
    def healthz() -> str:
        return "ok"

    return app

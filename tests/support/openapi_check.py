"""Checks each request the bot sends against LINE's messaging-api.yml.

`make_validator(spec_path)` returns `validate(method, path, headers, body) -> [problems]`:
the operation must exist in the spec, its JSON body must match the operation's request schema
(messages of every type, quick replies, Flex containers, actions: discriminators resolved), and
header parameters must match their schemas (e.g. `X-Line-Retry-Key` is a UUID).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator

from tests.support.openapi_schema import definitions, load_spec

Validate = Callable[[str, str, dict[str, str], bytes], list[str]]


def _path_regex(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")


def make_validator(spec_path: str | Path) -> Validate:
    spec_path = str(spec_path)
    if not Path(spec_path).exists():
        raise FileNotFoundError(f"LINE OpenAPI spec not found: {spec_path}")
    spec = load_spec(spec_path)
    defs = definitions(spec_path)
    operations: list[tuple[re.Pattern[str], str, dict[str, Any]]] = []
    for template, item in spec["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "delete"):
                operations.append((_path_regex(template), method.upper(), operation))
    validators: dict[str, Draft7Validator] = {}

    def body_validator(ref: str) -> Draft7Validator:
        name = ref.rsplit("/", 1)[-1]
        if name not in validators:
            validators[name] = Draft7Validator({"$ref": f"#/definitions/{name}", "definitions": defs})
        return validators[name]

    def validate(method: str, path: str, headers: dict[str, str], body: bytes) -> list[str]:
        matches = [op for regex, m, op in operations if m == method.upper() and regex.match(path)]
        if not matches:
            return [f"no operation {method} {path} in the spec"]
        operation = matches[0]
        problems: list[str] = []
        lowered = {k.lower(): v for k, v in headers.items()}
        for parameter in operation.get("parameters", []):
            if parameter.get("in") != "header":
                continue
            value = lowered.get(parameter["name"].lower())
            if value is None:
                if parameter.get("required"):
                    problems.append(f"missing header {parameter['name']}")
                continue
            for error in Draft7Validator(parameter.get("schema", {})).iter_errors(value):
                problems.append(f"header {parameter['name']}: {error.message}")
            if parameter["name"].lower() == "x-line-retry-key" and not re.fullmatch(r"[0-9a-fA-F-]{36}", value):
                problems.append("header X-Line-Retry-Key is not a UUID")
        schema = (((operation.get("requestBody") or {}).get("content") or {}).get("application/json") or {}).get(
            "schema"
        )
        if schema is None:
            return problems
        try:
            document = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return problems + ["body is not JSON"]
        for error in sorted(body_validator(schema["$ref"]).iter_errors(document), key=lambda e: list(e.path)):
            where = "/".join(str(p) for p in error.absolute_path)
            problems.append(f"body {where}: {error.message[:300]}")
        return problems

    return validate

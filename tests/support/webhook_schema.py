"""LINE's webhook.yml as a JSON Schema that hypothesis-jsonschema can generate from.

OpenAPI expresses event and message subtypes with `discriminator` + `allOf` inheritance,
which JSON Schema generators do not follow. We rewrite each discriminated base schema `X`
into `X__base` (its own properties) and make `X` a `oneOf` of its mapped subtypes, each of
which inherits from `X__base` with its discriminator property pinned to its mapping key.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

PREFIX = "#/components/schemas/"


def _rewrite_refs(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(PREFIX):
                name = value[len(PREFIX):]
                out[key] = "#/definitions/" + renames.get(name, name)
            else:
                out[key] = _rewrite_refs(value, renames)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(v, renames) for v in node]
    return node


def _drop_openapi_only(node: Any) -> Any:
    if isinstance(node, dict):
        node = {k: _drop_openapi_only(v) for k, v in node.items() if k not in ("discriminator", "externalDocs", "example", "x-line-sdk")}
        if node.pop("nullable", False) and "type" in node:
            node["type"] = [node["type"], "null"]
        return node
    if isinstance(node, list):
        return [_drop_openapi_only(v) for v in node]
    return node


@lru_cache(maxsize=2)
def callback_request_schema(spec_path: str) -> dict[str, Any]:
    spec = yaml.safe_load(Path(spec_path).read_text(encoding="utf-8"))
    schemas: dict[str, Any] = copy.deepcopy(spec["components"]["schemas"])
    definitions: dict[str, Any] = {}
    bases = {name: s for name, s in schemas.items() if isinstance(s, dict) and "discriminator" in s}
    child_of: dict[str, tuple[str, str, str]] = {}
    for base, schema in bases.items():
        disc = schema["discriminator"]
        for key, ref in (disc.get("mapping") or {}).items():
            child_of[ref[len(PREFIX):]] = (base, disc["propertyName"], key)

    for name, schema in schemas.items():
        if name in bases:
            base_copy = {k: v for k, v in schema.items() if k != "discriminator"}
            definitions[name + "__base"] = _rewrite_refs(base_copy, {})
            mapping = schema["discriminator"].get("mapping") or {}
            definitions[name] = {"oneOf": [{"$ref": "#/definitions/" + ref[len(PREFIX):]} for ref in mapping.values()]}
        else:
            renamed = _rewrite_refs(schema, {})
            if name in child_of:
                base, prop, key = child_of[name]
                # allOf [$ref base] → allOf [$ref base__base], plus the pinned discriminator.
                renamed = _rewrite_refs(schema, {base: base + "__base"})
                renamed.setdefault("allOf", [])
                renamed["allOf"] = list(renamed["allOf"]) + [
                    {"type": "object", "required": [prop], "properties": {prop: {"const": key}}}
                ]
            definitions[name] = renamed
    definitions = _drop_openapi_only(definitions)
    root = copy.deepcopy(definitions["CallbackRequest"])
    root["definitions"] = definitions
    return root

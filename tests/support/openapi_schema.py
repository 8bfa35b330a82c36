"""LINE's OpenAPI specs as plain JSON Schema, for generating webhooks and checking requests.

OpenAPI expresses subtypes with `discriminator` + `allOf` inheritance, which JSON Schema tools
do not follow. Each discriminated base schema `X` becomes `X__base` (its own properties), and
`X` becomes a `oneOf` of its mapped subtypes; each subtype inherits from `X__base` and pins the
discriminator property to its mapping key. So an unknown `type` matches no subtype.
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
                name = value[len(PREFIX) :]
                out[key] = "#/definitions/" + renames.get(name, name)
            else:
                out[key] = _rewrite_refs(value, renames)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(v, renames) for v in node]
    return node


def _drop_openapi_only(node: Any) -> Any:
    if isinstance(node, dict):
        node = {
            k: _drop_openapi_only(v)
            for k, v in node.items()
            if k not in ("discriminator", "externalDocs", "example", "x-line-sdk")
        }
        if node.pop("nullable", False) and "type" in node:
            node["type"] = [node["type"], "null"]
        return node
    if isinstance(node, list):
        return [_drop_openapi_only(v) for v in node]
    return node


@lru_cache(maxsize=4)
def load_spec(spec_path: str) -> dict[str, Any]:
    return yaml.safe_load(Path(spec_path).read_text(encoding="utf-8"))


@lru_cache(maxsize=4)
def definitions(spec_path: str) -> dict[str, Any]:
    schemas: dict[str, Any] = copy.deepcopy(load_spec(spec_path)["components"]["schemas"])
    result: dict[str, Any] = {}
    bases = {name: s for name, s in schemas.items() if isinstance(s, dict) and "discriminator" in s}
    child_of: dict[str, tuple[str, str, str]] = {}
    for base, schema in bases.items():
        disc = schema["discriminator"]
        for key, ref in (disc.get("mapping") or {}).items():
            child_of[ref[len(PREFIX) :]] = (base, disc["propertyName"], key)
    for name, schema in schemas.items():
        if name in bases:
            result[name + "__base"] = _rewrite_refs({k: v for k, v in schema.items() if k != "discriminator"}, {})
            mapping = schema["discriminator"].get("mapping") or {}
            result[name] = {"oneOf": [{"$ref": "#/definitions/" + ref[len(PREFIX) :]} for ref in mapping.values()]}
            continue
        if name in child_of:
            base, prop, key = child_of[name]
            renamed = _rewrite_refs(schema, {})
            # Only the inheritance link points at the base's own properties; any other
            # reference to the base (e.g. a box's children) stays polymorphic.
            parent = {"$ref": "#/definitions/" + base}
            renamed["allOf"] = [
                {"$ref": "#/definitions/" + base + "__base"} if item == parent else item
                for item in renamed.get("allOf", [])
            ] + [{"type": "object", "required": [prop], "properties": {prop: {"const": key}}}]
            result[name] = renamed
        else:
            result[name] = _rewrite_refs(schema, {})
    return _drop_openapi_only(result)


def schema_for(spec_path: str, name: str) -> dict[str, Any]:
    defs = definitions(spec_path)
    return {**copy.deepcopy(defs[name]), "definitions": defs}

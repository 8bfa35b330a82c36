"""Webhook payload strategies generated from LINE's webhook.yml (see `openapi_schema`)."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.support.openapi_schema import definitions, schema_for


def callback_strategy(spec_path: str) -> st.SearchStrategy:
    """Whole webhook bodies: a destination and up to three events of any type."""
    from hypothesis_jsonschema import from_schema

    names = [ref["$ref"].rsplit("/", 1)[-1] for ref in definitions(spec_path)["Event"]["oneOf"]]
    event = st.one_of([from_schema(schema_for(spec_path, name)) for name in names])
    return st.fixed_dictionaries({"destination": st.just("U" + "0" * 32), "events": st.lists(event, max_size=3)})

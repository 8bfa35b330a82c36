"""Webhook payload strategies generated from LINE's webhook.yml (see `openapi_schema`)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from tests.support.openapi_schema import definitions, schema_for


def callback_strategy(spec_path: str) -> st.SearchStrategy:
    """Whole webhook bodies: a destination and up to three events of any type."""
    from hypothesis_jsonschema import from_schema

    _memoise_strategy_building()
    names = [ref["$ref"].rsplit("/", 1)[-1] for ref in definitions(spec_path)["Event"]["oneOf"]]
    event = st.one_of([from_schema(schema_for(spec_path, name)) for name in names])
    return st.fixed_dictionaries({"destination": st.just("U" + "0" * 32), "events": st.lists(event, max_size=3)})


_memoised: list[bool] = []


def _memoise_strategy_building() -> None:
    """hypothesis-jsonschema builds the strategy of each property of each generated object while
    drawing it (`merged_as_strategies`: the schemas merged and canonicalised, a fresh
    `st.composite` whose source Hypothesis reads and parses to check that it draws), about 30
    times per webhook body, the same few hundred strategies over and over: half the CPU of the
    generated-payload test. Strategies are immutable values of their schema, so each is built
    once and kept; what is generated is unchanged. (Private functions of the pinned versions;
    if they are not there, nothing is changed.)"""
    if _memoised:
        return
    _memoised.append(True)
    import hypothesis.strategies._internal.core as core
    import hypothesis_jsonschema._canonicalise as canonicalise_module
    import hypothesis_jsonschema._from_schema as from_schema_module
    from hypothesis_jsonschema._encode import encode_canonical_json

    check = getattr(core, "is_first_param_referenced_in_function", None)
    if check is not None:
        checked: dict[Any, bool] = {}

        def is_first_param_referenced_in_function(f: Any) -> bool:
            code = getattr(f, "__code__", None)
            if code is None:
                return check(f)
            if code not in checked:
                checked[code] = check(f)
            return checked[code]

        core.is_first_param_referenced_in_function = is_first_param_referenced_in_function

    build = getattr(from_schema_module, "merged_as_strategies", None)
    if build is not None:
        built: dict[tuple[str, int], tuple[st.SearchStrategy, Any]] = {}

        def merged_as_strategies(schemas: list, *, alphabet: Any, custom_formats: Any) -> st.SearchStrategy:
            if custom_formats is not None:
                return build(schemas, alphabet=alphabet, custom_formats=custom_formats)
            key = (encode_canonical_json(schemas), id(alphabet))
            if key not in built:  # the alphabet is kept alive beside it, so its id stays its own
                built[key] = (build(schemas, alphabet=alphabet, custom_formats=None), alphabet)
            return built[key][0]

        from_schema_module.merged_as_strategies = merged_as_strategies

    # Which jsonschema draft a schema is written in: found by checking the schema against the
    # draft's metaschema, for every schema canonicalised or turned into a validator. The
    # library keeps the last 128; the webhook spec has a few hundred, so they were checked
    # again and again (a fifth of the test's CPU). The answer depends on the schema alone.
    find_class = getattr(canonicalise_module, "_get_validator_class", None)
    if find_class is not None:
        classes: dict[str, Any] = {}

        def _get_validator_class(schema: Any) -> Any:
            key = json.dumps(schema, sort_keys=True)
            if key not in classes:
                classes[key] = find_class(schema)
            return classes[key]

        canonicalise_module._get_validator_class = _get_validator_class

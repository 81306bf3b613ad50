"""Scheme validation, manual score parsing and scheme serialisation (issue 4 "bad input")."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from config.schemes import ADMISSION_BANDS, ADMISSION_SCHEME, DEFAULT_BANDS, DEFAULT_SCHEMES, PERIODIC_SCHEME
from supplychain.scoring import (
    MANUAL_SCORE_MESSAGES,
    MESSAGES,
    Criterion,
    Dimension,
    GradeBand,
    InvalidSchemeError,
    RedLine,
    SchemeFormatError,
    SupplierFacts,
    parse_manual_score,
    scheme_from_dict,
    scheme_to_dict,
    score,
    validate_scheme,
)
from tests.unit.test_scoring_engine import AS_OF, schemes, small_scheme

PROPERTY_SETTINGS = settings(max_examples=150, deadline=None)


def codes(scheme) -> list[str]:
    return [e.code for e in validate_scheme(scheme)]


def with_dimension(scheme, index, **changes):
    dims = list(scheme.dimensions)
    dims[index] = replace(dims[index], **changes)
    return replace(scheme, dimensions=tuple(dims))


def with_criterion(scheme, d_index, c_index, **changes):
    criteria = list(scheme.dimensions[d_index].criteria)
    criteria[c_index] = replace(criteria[c_index], **changes)
    return with_dimension(scheme, d_index, criteria=tuple(criteria))


def band(key, low, high, action="suspend", colour="#cf222e"):
    return GradeBand(key, key, key.title(), low, high, colour, action)


# ---------------------------------------------------------------------------------------------
# Default schemes


@pytest.mark.parametrize("kind", ["admission", "periodic"])
def test_default_schemes_validate(kind):
    scheme = DEFAULT_SCHEMES[kind]
    assert scheme.kind == kind
    assert validate_scheme(scheme) == []


def test_default_schemes_follow_the_domain_brief():
    assert [d.name_en for d in ADMISSION_SCHEME.dimensions] == [
        "Qualifications and certifications",
        "Production capacity",
        "Product quality",
        "Safe production",
        "Environmental management",
        "Business ethics and integrity",
        "Delivery and after-sales service",
    ]
    assert [d.name_en for d in PERIODIC_SCHEME.dimensions] == [
        "Product quality",
        "Delivery performance",
        "Price level",
        "Service quality",
        "Contract performance",
        "ESG performance",
    ]
    for scheme in DEFAULT_SCHEMES.values():
        assert {r.kind for r in scheme.red_lines} == {
            "dishonest_list",
            "principal_bribery",
            "blacklisted",
            "missing_licence",
            "pledge_refused",
            "critical_incident",
        }
        for _, criterion in scheme.criteria():
            assert criterion.name_zh and criterion.name_en
            if criterion.kind == "manual":
                assert criterion.rubric_zh and criterion.rubric_en
    for bands in (DEFAULT_BANDS, ADMISSION_BANDS):
        assert [(b.key, b.min_score, b.max_score) for b in bands] == [
            ("excellent", 90, 100),
            ("qualified", 75, 90),
            ("conditional", 60, 75),
            ("unqualified", 0, 60),
        ]
        assert all(b.name_zh and b.name_en for b in bands)
    assert [b.action for b in DEFAULT_BANDS] == [
        "excellent_certificate",
        "qualified_certificate",
        "corrective_action",
        "suspend",
    ]


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (90.0, "excellent"),
        (89.9, "qualified"),
        (75.0, "qualified"),
        (74.9, "conditional"),
        (60.0, "conditional"),
        (59.9, "unqualified"),
    ],
)
def test_band_boundaries(total, expected):
    # one manual criterion worth 100 %: the total is the manual score
    scheme = small_scheme(
        dimensions=(
            Dimension(
                "d", "维度", "D", 100, (Criterion("m", "手工", "Manual", "manual", 100, rubric_zh="标准"),)
            ),
        ),
        red_lines=(),
    )
    result = score(scheme, SupplierFacts(), {"m": total}, AS_OF)
    assert (result.total, result.band.key) == (total, expected)


# ---------------------------------------------------------------------------------------------
# Weights


def test_dimension_weights_must_add_up_to_100():
    scheme = with_dimension(small_scheme(), 0, weight=50)
    errors = validate_scheme(scheme)
    assert [(e.code, e.params) for e in errors] == [("dimensions.weight_sum", {"total": "90"})]
    assert errors[0].message == "Dimension weights must add up to 100 (they add up to 90)."
    with pytest.raises(InvalidSchemeError):
        score(scheme, SupplierFacts(), {"q_manual": 50}, AS_OF)


def test_criterion_weights_within_a_dimension_must_add_up_to_100():
    scheme = with_criterion(small_scheme(), 1, 0, weight=25.5)
    errors = validate_scheme(scheme)
    assert [(e.code, e.path, e.params) for e in errors] == [
        ("criteria.weight_sum", "dimensions[1].criteria", {"key": "esg", "total": "100.5"})
    ]


def test_decimal_weights_that_add_up_exactly_are_accepted():
    scheme = small_scheme()
    scheme = with_dimension(scheme, 0, weight=33.3)
    scheme = with_dimension(scheme, 1, weight=66.7)
    assert validate_scheme(scheme) == []


@pytest.mark.parametrize("weight", [0, -5, 101, "30", None, True, float("nan"), float("inf")])
def test_bad_weight_values(weight):
    assert codes(with_dimension(small_scheme(), 0, weight=weight)) == ["dimension.weight_invalid"]
    assert codes(with_criterion(small_scheme(), 0, 0, weight=weight)) == ["criterion.weight_invalid"]


@PROPERTY_SETTINGS
@given(schemes(), st.data())
def test_weights_not_adding_up_to_100_are_rejected(scheme, data):
    assert validate_scheme(scheme) == []
    d_index = data.draw(st.integers(0, len(scheme.dimensions) - 1))
    delta = data.draw(st.integers(-99, 99).filter(bool))
    dimension = scheme.dimensions[d_index]
    if data.draw(st.booleans()):
        broken = with_dimension(scheme, d_index, weight=dimension.weight + delta)
        expected = {"dimensions.weight_sum", "dimension.weight_invalid"}
    else:
        c_index = data.draw(st.integers(0, len(dimension.criteria) - 1))
        broken = with_criterion(scheme, d_index, c_index, weight=dimension.criteria[c_index].weight + delta)
        expected = {"criteria.weight_sum", "criterion.weight_invalid"}
    found = codes(broken)
    assert len(found) == 1 and found[0] in expected
    with pytest.raises(InvalidSchemeError):
        score(broken, SupplierFacts(), {c.key: 50 for c in broken.manual_criteria()}, AS_OF)


# ---------------------------------------------------------------------------------------------
# Bands


def test_band_gap_and_overlap_are_reported():
    gapped = (band("top", 80, 100), band("bottom", 0, 60))
    assert [(e.code, e.params) for e in validate_scheme(small_scheme(bands=gapped))] == [
        ("bands.gap", {"lower": "60", "upper": "80"})
    ]
    overlapping = (band("top", 50, 100), band("bottom", 0, 60))
    assert [(e.code, e.params) for e in validate_scheme(small_scheme(bands=overlapping))] == [
        ("bands.overlap", {"first": "bottom", "second": "top"})
    ]
    not_from_zero = (band("top", 50, 100), band("bottom", 10, 50))
    assert [(e.code, e.params) for e in validate_scheme(small_scheme(bands=not_from_zero))] == [
        ("bands.gap", {"lower": "0", "upper": "10"})
    ]
    not_to_100 = (band("top", 50, 99.5), band("bottom", 0, 50))
    assert [(e.code, e.params) for e in validate_scheme(small_scheme(bands=not_to_100))] == [
        ("bands.gap", {"lower": "99.5", "upper": "100"})
    ]
    duplicate = (band("top", 0, 100), band("top", 0, 100))
    assert codes(small_scheme(bands=duplicate)) == ["band.key_duplicate", "bands.overlap"]


def test_band_fields_are_checked():
    bad = (
        GradeBand("top", "", "", 50, 100, "green", "party"),
        GradeBand("bottom", "低", "Low", 60, 50, "#cf222e", "suspend"),
    )
    assert codes(small_scheme(bands=bad)) == [
        "band.name_missing",
        "band.colour_invalid",
        "band.action_unknown",
        "band.range_invalid",
    ]
    assert codes(small_scheme(bands=())) == ["bands.empty"]


@PROPERTY_SETTINGS
@given(st.lists(st.integers(1, 99), unique=True, max_size=5))
def test_contiguous_bands_validate(cuts):
    bounds = [0, *sorted(cuts), 100]
    bands = tuple(
        band(f"b{i}", low, high) for i, (low, high) in enumerate(zip(bounds, bounds[1:], strict=False))
    )
    assert validate_scheme(small_scheme(bands=bands)) == []


@PROPERTY_SETTINGS
@given(st.lists(st.integers(1, 99), unique=True, min_size=1, max_size=5), st.data())
def test_moved_band_edge_is_a_gap_or_overlap(cuts, data):
    bounds = [0, *sorted(cuts), 100]
    pairs = list(zip(bounds, bounds[1:], strict=False))
    index = data.draw(st.integers(0, len(pairs) - 2))
    low, high = pairs[index]
    shift = data.draw(st.integers(-(high - low) + 1, 99).filter(bool))
    assume(low < high + shift <= 100)
    pairs[index] = (low, high + shift)
    bands = tuple(band(f"b{i}", lo, hi) for i, (lo, hi) in enumerate(pairs))
    found = set(codes(small_scheme(bands=bands)))
    assert found & {"bands.gap", "bands.overlap"}


# ---------------------------------------------------------------------------------------------
# Keys, kinds and params


def test_keys_must_be_unique_and_well_formed():
    scheme = with_criterion(small_scheme(), 1, 0, key="q_manual")
    assert [(e.code, e.path) for e in validate_scheme(scheme)] == [
        ("criterion.key_duplicate", "dimensions[1].criteria[0].key")
    ]
    scheme = with_dimension(small_scheme(), 1, key="quality")
    assert codes(scheme) == ["dimension.key_duplicate"]
    scheme = with_dimension(small_scheme(), 1, key="ESG dimension")
    assert codes(scheme) == ["dimension.key_invalid"]
    red_lines = (RedLine("x", "blacklisted"), RedLine("x", "dishonest_list"))
    assert codes(small_scheme(red_lines=red_lines)) == ["red_line.key_duplicate"]


def test_unknown_kinds_and_params():
    assert codes(with_criterion(small_scheme(), 0, 1, kind="astrology")) == ["criterion.kind_unknown"]
    assert codes(with_criterion(small_scheme(), 0, 1, params={})) == ["criterion.param_missing"]
    assert codes(with_criterion(small_scheme(), 0, 1, params={"cert_type": "iso9001", "colour": 1})) == [
        "criterion.param_unknown"
    ]
    errors = validate_scheme(with_criterion(small_scheme(), 1, 0, params={"hours": 0}))
    assert [(e.code, e.params["param"]) for e in errors] == [("criterion.param_invalid", "hours")]
    assert errors[0].message == "Parameter 'hours' of criterion 'training' must be a number above 0."
    assert codes(with_criterion(small_scheme(), 1, 1, params={"years": 2, "categories": ["weather"]})) == [
        "criterion.param_invalid"
    ]
    assert codes(with_criterion(small_scheme(), 1, 1, params={"years": 1.5})) == ["criterion.param_invalid"]
    assert codes(small_scheme(red_lines=(RedLine("r", "gossip"),))) == ["red_line.kind_unknown"]
    assert codes(small_scheme(red_lines=(RedLine("r", "critical_incident"),))) == ["red_line.param_missing"]
    assert codes(small_scheme(red_lines=(RedLine("r", "blacklisted", social="yes"),))) == [
        "red_line.social_invalid"
    ]


def test_manual_criterion_needs_a_rubric_and_names():
    assert codes(with_criterion(small_scheme(), 0, 0, rubric_en="", rubric_zh=" ")) == [
        "criterion.rubric_missing"
    ]
    assert codes(with_criterion(small_scheme(), 0, 0, name_en="", name_zh="")) == ["criterion.name_missing"]
    assert codes(replace(small_scheme(), name_zh="", name_en="", version=0, kind="x", code="")) == [
        "scheme.code_invalid",
        "scheme.kind_invalid",
        "scheme.version_invalid",
        "scheme.name_missing",
    ]


def test_every_error_code_has_an_english_message():
    broken = replace(
        small_scheme(bands=(band("a", 10, 100, action="?"),), red_lines=(RedLine("Bad Key", "?"),)),
        dimensions=(),
    )
    errors = validate_scheme(broken)
    assert {e.code for e in errors} == {
        "dimensions.empty",
        "bands.gap",
        "band.action_unknown",
        "red_line.key_invalid",
        "red_line.kind_unknown",
    }
    assert all(e.message and e.code in MESSAGES for e in errors)
    assert str(errors[0]).startswith("dimensions: ")


# ---------------------------------------------------------------------------------------------
# Manual scores


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (85, (85.0, None)),
        (0, (0.0, None)),
        (100, (100.0, None)),
        (72.5, (72.5, None)),
        (Decimal("66.6"), (66.6, None)),
        (" 85.5 ", (85.5, None)),
        ("８５．５", (85.5, None)),  # full-width input from a Chinese IME
        ("-0", (0.0, None)),
        (".5", (0.5, None)),
        ("", (None, None)),
        ("   ", (None, None)),
        (None, (None, None)),
        ("100.01", (None, "manual_score.out_of_range")),
        (-0.1, (None, "manual_score.out_of_range")),
        ("1e2", (None, "manual_score.not_a_number")),
        ("8_5", (None, "manual_score.not_a_number")),
        ("85,5", (None, "manual_score.not_a_number")),
        ("abc", (None, "manual_score.not_a_number")),
        ("nan", (None, "manual_score.not_a_number")),
        (float("inf"), (None, "manual_score.not_a_number")),
        (True, (None, "manual_score.not_a_number")),
        ([85], (None, "manual_score.not_a_number")),
    ],
)
def test_parse_manual_score(raw, expected):
    assert parse_manual_score(raw) == expected
    if expected[1]:
        assert expected[1] in MANUAL_SCORE_MESSAGES


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_parse_manual_score_accepts_exactly_the_range(value):
    parsed, error = parse_manual_score(value)
    if 0 <= value <= 100:
        assert (parsed, error) == (value, None)
        assert parse_manual_score(repr(value) if "e" not in repr(value) else value) == (value, None)
    else:
        assert parsed is None and error in MANUAL_SCORE_MESSAGES


# ---------------------------------------------------------------------------------------------
# Serialisation


@PROPERTY_SETTINGS
@given(schemes())
def test_scheme_json_round_trip(scheme):
    data = json.loads(json.dumps(scheme_to_dict(scheme), ensure_ascii=False))
    assert scheme_from_dict(data) == scheme


def test_default_schemes_round_trip_and_keep_chinese():
    for scheme in DEFAULT_SCHEMES.values():
        text = json.dumps(scheme_to_dict(scheme), ensure_ascii=False)
        assert "廉洁承诺书" in text
        assert scheme_from_dict(json.loads(text)) == scheme


def test_scheme_from_dict_keeps_bad_values_for_validation():
    data = scheme_to_dict(small_scheme())
    data["dimensions"][0]["weight"] = "sixty"
    scheme = scheme_from_dict(data)
    assert codes(scheme) == ["dimension.weight_invalid"]


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"code": "x"},
        {**scheme_to_dict(small_scheme()), "dimensions": "none"},
        {**scheme_to_dict(small_scheme()), "bands": [{"key": "x"}]},
    ],
)
def test_scheme_from_dict_rejects_wrong_shape(data):
    with pytest.raises(SchemeFormatError):
        scheme_from_dict(data)

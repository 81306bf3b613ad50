"""Unified Social Credit Code (GB 32100-2015) validation and generation."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supplychain import credit_code as cc

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

# Real codes: the worked example printed in GB 32100-2015 plus codes from
# public business registrations.  Each was also checked by hand against the
# weights, so a bug shared by the module and these tests cannot hide.
REAL_CODES = [
    "91350100M000100Y43",
    "914403001922038216",
    "9144030071526726XG",
    "91330100716105852F",
]

divisions = st.text(alphabet="0123456789", min_size=6, max_size=6)
seeds = st.integers(min_value=0, max_value=2**32 - 1)


def _generated(seed: int, division: str = "500000") -> str:
    return cc.generate(random.Random(seed), division)


def _independent_check(first17: str) -> str:
    # Deliberately re-derived (weights as 3**i mod 31) instead of reusing the
    # module's table, so a typo in WEIGHTS would be caught.
    total = sum(CHARSET.index(ch) * pow(3, i, 31) for i, ch in enumerate(first17))
    return CHARSET[(31 - total % 31) % 31]


def test_constants_match_the_standard():
    assert cc.CHARSET == CHARSET
    assert len(cc.CHARSET) == 31
    assert not set("IOSVZ") & set(cc.CHARSET)
    assert cc.WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code):
    assert _independent_check(code[:17]) == code[17]
    assert cc.validate(code) == []
    assert cc.is_valid(code)
    assert cc.check_character(code[:17]) == code[17]


@pytest.mark.parametrize(
    ("code", "division"),
    [("91350100M000100Y43", "350100"), ("914403001922038216", "440300"), ("9144030071526726XG", "440300")],
)
def test_division_of(code, division):
    assert cc.division_of(code) == division
    assert cc.division_of(code.lower()) == division


@pytest.mark.parametrize("bad", ["", "91", "91AB0100M000100Y43"])
def test_division_of_rejects_codes_without_division(bad):
    with pytest.raises(ValueError):
        cc.division_of(bad)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  91350100m000100y43 ", "91350100M000100Y43"),
        ("9135 0100-M000 100Y43", "91350100M000100Y43"),
        ("９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43"),  # full-width IME input
        ("9135\u30000100\u2014M000100Y43", "91350100M000100Y43"),
    ],
)
def test_normalize(raw, expected):
    assert cc.normalize(raw) == expected
    assert cc.is_valid(raw)


def test_empty_input():
    assert cc.validate("") == ["empty"]
    assert cc.validate("  - ") == ["empty"]
    assert not cc.is_valid("")


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y4",  # one short
        "91350100M000100Y433",  # one long
        "91",
    ],
)
def test_wrong_length(code):
    assert cc.validate(code) == ["length"]


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_excluded_letters_are_charset_errors(letter):
    code = "91350100M000100Y4" + letter
    assert cc.validate(code) == ["charset"]
    code = "9" + letter + "350100M000100Y43"
    assert cc.validate(code) == ["charset"]


def test_non_ascii_is_charset_error():
    assert "charset" in cc.validate("91350100M000100Y4é")


def test_non_digit_division():
    # Letters are legal in the charset, so only the division rule catches
    # them; the check character was recomputed so only "division" remains.
    body = "9135A100M000100Y4"
    code = body + cc.check_character(body)
    assert cc.validate(code) == ["division"]


def test_wrong_check_character():
    assert cc.validate("91350100M000100Y44") == ["check"]


def test_all_problems_reported_at_once():
    errors = cc.validate("91I5A100M000100Y4")
    assert set(errors) == {"length", "charset", "division"}
    errors = cc.validate("91I5A100M000100Y43")
    assert set(errors) == {"charset", "division"}
    assert set(cc.validate("9135A100M000100Y40")) == {"division", "check"}


def test_error_codes_are_documented():
    samples = ["", "91", "91I5A100M000100Y4", "91350100M000100Y44", "9135A100M000100Y40"]
    for sample in samples:
        assert set(cc.validate(sample)) <= set(cc.ERROR_CODES)


@pytest.mark.parametrize("bad", ["91350100M000100Y", "91350100M000100YI", "9135010"])
def test_check_character_rejects_bad_bodies(bad):
    with pytest.raises(ValueError):
        cc.check_character(bad)


@pytest.mark.parametrize("division", ["50000", "5000000", "50A000", ""])
def test_generate_rejects_bad_division(division):
    with pytest.raises(ValueError):
        cc.generate(random.Random(0), division)


def test_generate_is_reproducible():
    assert _generated(42) == _generated(42)
    assert _generated(42) != _generated(43)


@given(seeds, divisions)
def test_generated_codes_are_valid(seed, division):
    code = _generated(seed, division)
    assert len(code) == 18
    assert cc.validate(code) == []
    assert cc.division_of(code) == division
    assert _independent_check(code[:17]) == code[17]


@given(seeds, st.data())
def test_generated_codes_round_trip_through_normalize(seed, data):
    code = _generated(seed)
    # Lower-case it and sprinkle separators, the way codes arrive from forms.
    messy = "".join(
        data.draw(st.sampled_from(["", " ", "-", "  "])) + data.draw(st.sampled_from([ch, ch.lower()]))
        for ch in code
    )
    messy = data.draw(st.sampled_from(["", " ", "\t"])) + messy + data.draw(st.sampled_from(["", " \n"]))
    assert cc.normalize(messy) == code
    assert cc.is_valid(messy)


@given(seeds, st.integers(min_value=0, max_value=17), st.sampled_from(CHARSET))
def test_any_single_substitution_is_detected(seed, position, replacement):
    code = _generated(seed)
    if code[position] == replacement:
        # Not a change; pick the next character in the alphabet instead.
        replacement = CHARSET[(CHARSET.index(replacement) + 1) % len(CHARSET)]
    mutated = code[:position] + replacement + code[position + 1 :]
    assert mutated != code
    errors = cc.validate(mutated)
    assert errors
    assert set(errors) <= {"division", "check", "type"}


@pytest.mark.parametrize("code", REAL_CODES)
def test_every_single_substitution_of_real_codes_fails(code):
    # Exhaustive on real codes: 18 positions x 30 alternatives each.
    for position in range(18):
        for replacement in CHARSET:
            if replacement == code[position]:
                continue
            mutated = code[:position] + replacement + code[position + 1 :]
            assert not cc.is_valid(mutated), mutated


@given(seeds, st.integers(min_value=0, max_value=17), st.sampled_from("IOSVZ!#é"))
def test_any_foreign_character_is_a_charset_error(seed, position, replacement):
    code = _generated(seed)
    mutated = code[:position] + replacement + code[position + 1 :]
    assert "charset" in cc.validate(mutated)
    assert "check" not in cc.validate(mutated)


@pytest.mark.parametrize("prefix", ["11", "12", "13", "19", "21", "31", "35", "51", "52", "53", "59", "61", "62",
                                    "71", "72", "81", "91", "92", "93", "A1", "A9", "N1", "N2", "N3", "N9", "Y1"])
def test_every_pair_of_the_standard_is_accepted(prefix):
    body = prefix + "350100M000100Y4"
    code = body + _independent_check(body)
    assert cc.validate(code) == []
    assert cc.registration_type(code) is not None


@pytest.mark.parametrize("prefix", ["GE", "94", "99", "10", "N4", "Y2", "A2", "B1", "00"])
def test_a_pair_outside_the_standard_is_refused_even_with_a_right_check_character(prefix):
    body = prefix + "350100M000100Y4"
    assert cc.validate(body + _independent_check(body)) == ["type"]
    # The example: any letter used to pass in positions 1-2.
    assert cc.validate("GE95967395QBH4DB65") == ["type"]


def test_the_pair_table_is_data_with_its_source():
    from importlib import resources

    text = resources.files("supplychain").joinpath("data", "uscc_registration_types.csv").read_text("utf-8")
    assert "GB 32100-2015" in text and "never removed" in text
    assert cc.registration_type("91350100M000100Y43") == ("工商", "企业", "enterprise")

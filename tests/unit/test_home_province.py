"""HOME_PROVINCE is read in any form a province is written in, and refused when it names none (issue 15)."""

from __future__ import annotations

import pytest

from app import create_app, home_province_code


@pytest.mark.parametrize(("value", "code"), [("500000", "500000"), ("广东省", "440000"), ("廣東省", "440000"),
                                             ("CN-GD", "440000"), ("44", "440000"), ("Chongqing", "500000"),
                                             ("广东", "440000")])
def test_home_province_in_any_form(value, code):
    assert home_province_code(value) == code


@pytest.mark.parametrize("value", ["", None, "Atlantis", "4400", "CN-ZZ"])
def test_a_home_province_naming_nothing_stops_the_app(value):
    with pytest.raises(RuntimeError, match="HOME_PROVINCE"):
        home_province_code(value)


def test_the_app_refuses_to_start_with_an_unknown_home_province():
    with pytest.raises(RuntimeError, match="HOME_PROVINCE"):
        create_app(config={"HOME_PROVINCE": "Atlantis"}, env="testing")

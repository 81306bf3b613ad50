"""The password policy: length, guessable shapes, the shipped common-password list, the e-mail name."""

from __future__ import annotations

import pytest

from supplychain import password_policy


@pytest.mark.parametrize("password", [
    "password", "qwertyui", "Password1", "Abc12345",  # the four the attack got through
    "Password123!", "P@ssw0rd2024", "2024admin!", "woaini1314", "Woaini1314520", "qwertyuiop", "1qaz2wsx3edc",
    "abcdefghij", "0987654321", "1234567890", "aaaaaaaaaa", "abcabcabcabc", "Welcome2025!", "iloveyou!!",
    "Qq123456789", "a123456789", "Supplychain1", "zxcvbnm123",
])
def test_common_and_guessable_passwords_are_refused(password):
    assert password_policy.problems(password), password


@pytest.mark.parametrize("password", [
    "Correct-Horse-9", "Lotus-Garden-42", "Tea-Kettle-Mountain", "长江三峡大坝2024年", "r7Xq-2mLp-Zk9w",
])
def test_good_passwords_pass(password):
    assert password_policy.problems(password) == []


def test_length_limits():
    assert password_policy.problems("Xk9-mQ2") == ["short"]
    assert password_policy.problems("Xk9-mQ2-" * 30) == ["long"]


def test_the_email_name_is_refused_inside_the_password():
    assert password_policy.problems("Wangwei-Garden-42", "wangwei@example.cn") == ["email"]
    assert password_policy.problems("Lotus-Garden-42", "wangwei@example.cn") == []


def test_the_list_ships_as_package_data():
    common = password_policy.common_passwords()
    assert {"password", "123456", "qwerty", "woaini1314"} <= common and len(common) > 250


def test_generated_passwords_pass():
    assert all(password_policy.problems(password_policy.generate()) == [] for _ in range(200))

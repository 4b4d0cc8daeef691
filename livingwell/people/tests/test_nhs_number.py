from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from livingwell.people.nhs_number import check_digit, format_nhs_number, is_valid_nhs_number, validate_nhs_number

# Worked examples: 943 476 5919 is the NHS's published test number; the others are computed by hand:
# 401 023 2137: 4*10+0*9+1*8+0*7+2*6+3*5+2*4+1*3+3*2 = 92; 92 % 11 = 4; 11 - 4 = 7.
VALID = ["9434765919", "4010232137", "943 476 5919", "943-476-5919"]
INVALID = [
    "9434765918",
    "1234567890",
    "943476591",
    "94347659190",
    "abcdefghij",
    "\uff14\uff10\uff11\uff10\uff12\uff13\uff12\uff11\uff13\uff17",
]  # last: full-width digits


@pytest.mark.parametrize("number", VALID)
def test_valid_numbers_pass(number: str) -> None:
    assert is_valid_nhs_number(number)
    validate_nhs_number(number)


@pytest.mark.parametrize("number", INVALID)
def test_invalid_numbers_fail_with_a_reason(number: str) -> None:
    assert not is_valid_nhs_number(number)
    with pytest.raises(ValidationError):
        validate_nhs_number(number)


def test_messages_say_what_is_wrong() -> None:
    with pytest.raises(ValidationError, match="10 digits"):
        validate_nhs_number("12345")
    with pytest.raises(ValidationError, match="only include numbers"):
        validate_nhs_number("12345abcde")
    with pytest.raises(ValidationError, match="Enter a valid NHS number"):
        validate_nhs_number("9434765918")


def test_a_check_digit_of_ten_means_no_valid_number() -> None:
    # 0*10 + 0*9 + ... + 0*3 + 1*2 = 2; 2 % 11 = 2; 11 - 2 = 9 → fine. Find nine digits whose remainder is 1:
    # 1*10 = 10 → remainder 10 → 11 - 10 = 1; 0000000 then 1*... use 100000001: 1*10 + 1*2 = 12 → 12 % 11 = 1 → 10.
    assert check_digit("100000001") is None


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_every_number_with_its_check_digit_is_valid(first_nine: str) -> None:
    digit = check_digit(first_nine)
    if digit is None:
        assert not any(is_valid_nhs_number(first_nine + str(d)) for d in range(10))
    else:
        assert is_valid_nhs_number(first_nine + str(digit))
        assert sum(is_valid_nhs_number(first_nine + str(d)) for d in range(10)) == 1


def test_format() -> None:
    assert format_nhs_number("9434765919") == "943 476 5919"

"""NHS numbers: ten digits, the last a modulus 11 check digit (NHS Data Dictionary)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


def normalise_nhs_number(value: str) -> str:
    """Remove the spaces and hyphens people type ('943 476 5919' -> '9434765919')."""
    return "".join(ch for ch in value if ch not in " -")


def check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None when no valid NHS number starts with them."""
    total = sum(int(d) * w for d, w in zip(first_nine, _WEIGHTS, strict=True))
    digit = 11 - (total % 11)
    if digit == 11:
        return 0
    if digit == 10:
        return None
    return digit


def is_valid_nhs_number(value: str) -> bool:
    number = normalise_nhs_number(value)
    if len(number) != 10 or not number.isascii() or not number.isdigit():
        return False
    return check_digit(number[:9]) == int(number[9])


def validate_nhs_number(value: str) -> None:
    number = normalise_nhs_number(value)
    if not number.isascii() or not number.isdigit():
        raise ValidationError("NHS number must only include numbers, spaces and hyphens", code="nhs_number_digits")
    if len(number) != 10:
        raise ValidationError("NHS number must be 10 digits long", code="nhs_number_length")
    if not is_valid_nhs_number(number):
        raise ValidationError(
            "Enter a valid NHS number. Check the number on a letter from the NHS or in the NHS App",
            code="nhs_number_check_digit",
        )


def format_nhs_number(value: str) -> str:
    """'9434765919' -> '943 476 5919', as the NHS shows it."""
    n = normalise_nhs_number(value)
    return f"{n[:3]} {n[3:6]} {n[6:]}" if len(n) == 10 else value

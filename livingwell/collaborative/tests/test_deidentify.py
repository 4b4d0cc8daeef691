"""The de-identification check against hand-made cases: what it must flag, and what it must leave.

Each case lists the exact findings expected, as (kind, text), in the order they appear. Decisions
written down here: a day of the week on its own IS flagged as a date; a month on its own and a year
on its own are not; "may" in lower case is the verb; money and counts are never numbers to flag.
"""

from __future__ import annotations

import pytest

from livingwell.collaborative.deidentify import Finding, Kind, check, given_names, nhs_check_digit_ok

N, D, P, PC, NHS, PH, E = (
    Kind.NAME,
    Kind.DATE,
    Kind.PLACE,
    Kind.POSTCODE,
    Kind.NHS_NUMBER,
    Kind.PHONE,
    Kind.EMAIL,
)
PLACES = ["North", "Certitude", "Brockwell Park", "Stockwell Partnership", "St Jude's church hall"]


def found(text: str, places: list[str] | None = None) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in check(text, places=PLACES if places is None else places)]


CASES: list[tuple[str, list[tuple[str, str]]]] = [
    # ---- NHS numbers
    ("My NHS number is 943 476 5919.", [(NHS, "943 476 5919")]),
    ("Number 9434765919 was on the letter.", [(NHS, "9434765919")]),
    ("It read 943-476-5919 in pen.", [(NHS, "943-476-5919")]),
    ("The form said 123 456 7890 at the top.", [(NHS, "123 456 7890")]),  # wrong check digit, 3-3-4 layout
    ("The reference was 1234567890.", []),  # wrong check digit, run together: not an NHS number
    ("We raised £9434765919 in our dreams.", []),  # money, however large
    # ---- postcodes
    ("Post it to SW9 8AB please.", [(PC, "SW9 8AB")]),
    ("I was at sw98ab for years.", [(PC, "sw98ab")]),
    ("The office is EC1A 1BB and the shop W1A 0AX.", [(PC, "EC1A 1BB"), (PC, "W1A 0AX")]),
    ("Santa lives at GIR 0AA.", [(PC, "GIR 0AA")]),
    ("We both grew up in SE11 and loved it.", [(PC, "SE11")]),
    ("The SE11 bus was late.", []),  # an outward code alone, with no place word before it
    # ---- phones and email
    ("Ring me on 07700 900123 after six.", [(PH, "07700 900123")]),
    ("The number is +44 20 7946 0958.", [(PH, "+44 20 7946 0958")]),
    ("Email sunny.day@example.org if you like.", [(E, "sunny.day@example.org")]),
    # ---- dates
    ("It was 12/03/2015 when it started.", [(D, "12/03/2015")]),
    ("It was 12-3-15 when it started.", [(D, "12-3-15")]),
    ("It was 2015-03-12 when it started.", [(D, "2015-03-12")]),
    ("It was 12 March 2015 when it started.", [(D, "12 March 2015")]),
    ("It was the 12th of March when it started.", [(D, "12th of March")]),
    ("It was March 12th when it started.", [(D, "March 12th")]),
    ("It was Tuesday 3 March when it started.", [(D, "Tuesday 3 March")]),
    ("It was in March 2015 that it started.", [(D, "March 2015")]),
    ("I went to the group on a Tuesday and it helped.", [(D, "Tuesday")]),  # decided: weekdays are flagged
    ("It started in March and got better.", []),  # a month alone is not flagged
    ("We may meet again in the spring.", []),
    ("I paid £150 for 12 sessions with 3 friends.", []),
    # ---- names
    ("Sarah came with me to the group.", [(N, "Sarah")]),
    ("Then Dr Patel said I could go home.", [(N, "Dr Patel")]),
    ("Mr. Okafor was kind to me.", [(N, "Mr. Okafor")]),
    ("Auntie Grace cooked for everyone.", [(N, "Auntie Grace")]),
    ("My sister Amina came too.", [(N, "Amina")]),
    ("My worker Tendai Moyo listened.", [(N, "Tendai Moyo")]),
    ("There was a man called Zbigniew there.", [(N, "Zbigniew")]),
    ("A woman named Oyelaran ran it.", [(N, "Oyelaran")]),
    ("I met Thandeka at the café.", [(N, "Thandeka")]),
    ("Every week I saw Kwabena and Siobhan.", [(N, "Kwabena"), (N, "Siobhan")]),
    ("I told ciaran about it.", [(N, "ciaran")]),  # a listed name in lower case
    ("Later Jean Baptiste Okafor joined us.", [(N, "Jean Baptiste Okafor")]),
    ("Hope is what kept me going.", []),  # an ordinary word at the start of a sentence
    ("Will you come next time?", []),
    ("I had lost all hope and will.", []),
    ("I said Hope was the best of them.", [(N, "Hope")]),  # mid-sentence, with a capital
    ("I was scared, but I went anyway.", []),
    ("The NHS and my GP were slow, and the Hub was not.", []),
    ("Living Well Collaborative members came to the Hub.", []),
    ("I speak Polish at home and English at work.", []),
    ("At Christmas I felt alone.", []),
    # ---- places
    ("I live at 12 Acre Lane with my cat.", [(P, "12 Acre Lane")]),
    ("The bus down Wandsworth Road is slow.", [(P, "Wandsworth Road")]),
    ("We walked in Brockwell Park after.", [(P, "Brockwell Park")]),
    ("The group meets at Certitude.", [(P, "Certitude")]),
    ("People in the North know each other.", [(P, "North")]),
    ("Up north it is colder.", []),  # a direction, not the neighbourhood
    ("I moved to Brixton in the summer.", [(P, "Brixton")]),
    ("I was on Ward 3 at the Maudsley for a month.", [(P, "Ward 3"), (P, "Maudsley")]),
    ("They took me to King's College Hospital.", [(P, "King's College Hospital")]),
    ("We met in St Jude's church hall.", [(P, "St Jude's church hall")]),
    ("Flat 4, 27 Railton Road was damp.", [(P, "Flat 4"), (P, "27 Railton Road")]),
    ("The drop-in at St Mark's Church helped.", [(P, "St Mark's Church")]),
    ("I lost my job at Tesco in the end.", [(P, "Tesco")]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_hand_made_cases(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_there_are_at_least_forty_hand_made_cases_with_negatives_and_every_kind() -> None:
    assert len(CASES) >= 40
    assert sum(1 for _, expected in CASES if not expected) >= 10
    assert {kind for _, expected in CASES for kind, _ in expected} == set(Kind)


def test_a_realistic_story_with_exact_findings() -> None:
    story = (
        "Finding My Way Back\n"
        "In March 2019 I was on Ward 3 at the Maudsley. When I came out my worker Jess rang me on "
        "07700 900456 every Tuesday. She took me to the walking group in Brockwell Park, where I met "
        "Marcus Bell. I live on Railton Road, SW2 1LF, and I was scared to go out. The Hub helped me "
        "with my Universal Credit and my GP wrote a letter. Now I go every week and it costs nothing."
    )
    findings = check(story, places=PLACES)
    assert [(f.kind, f.text) for f in findings] == [
        (D, "March 2019"),
        (P, "Ward 3"),
        (P, "Maudsley"),
        (N, "Jess"),
        (PH, "07700 900456"),
        (D, "Tuesday"),
        (P, "Brockwell Park"),
        (N, "Marcus Bell"),
        (P, "Railton Road"),
        (PC, "SW2 1LF"),
    ]
    # The positions are where the words are.
    for f in findings:
        assert story[f.start : f.end] == f.text


def test_a_realistic_feedback_paragraph_with_nothing_to_flag() -> None:
    feedback = (
        "The first conversation felt different. Nobody asked me to fill in a form before they listened. "
        "I came back after a few months and they picked up where we left off. The group costs £2 and "
        "about 15 of us go. It may not suit everyone, but it suited me."
    )
    assert check(feedback, places=PLACES) == []


def test_a_story_told_by_a_carer_with_names_and_a_date_of_birth() -> None:
    story = (
        "My son Tariq was born on 4th of June 1998. His nan, Mrs O'Brien, looked after him while "
        "I worked nights at Lambeth Hospital. Tariq's friends from the mosque near Stockwell "
        "Partnership still call round."
    )
    assert found(story) == [
        (N, "Tariq"),
        (D, "4th of June 1998"),
        (N, "Mrs O'Brien"),
        (P, "Lambeth Hospital"),
        (N, "Tariq"),
        (P, "Stockwell Partnership"),
    ]


def test_overlapping_findings_are_merged_and_sorted() -> None:
    # "April" is a given name and "April 2016" a date: one finding, the date.
    assert found("We started in April 2016 together.") == [(D, "April 2016")]
    findings = check("Call Dr Patel on 07700 900123 on Friday 3 July.")
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    assert [(f.kind, f.text) for f in findings] == [
        (N, "Dr Patel"),
        (PH, "07700 900123"),
        (D, "Friday 3 July"),
    ]


def test_the_title_line_in_title_case_is_not_flagged_for_its_capitals() -> None:
    assert found("Finding Hope In The Small Things\nIt took a long time.") == []
    assert found("A Walk With Sarah\nIt took a long time.") == [(N, "Sarah")]


def test_findings_carry_a_reason_and_a_label() -> None:
    finding = check("My NHS number is 943 476 5919.")[0]
    assert isinstance(finding, Finding)
    assert finding.label == "NHS number"
    assert "check" in finding.why


def test_nhs_check_digit() -> None:
    # 9434765919: 9*10 + 4*9 + 3*8 + 4*7 + 7*6 + 6*5 + 5*4 + 9*3 + 1*2 = 299; 299 % 11 = 2; 11 - 2 = 9.
    assert nhs_check_digit_ok("9434765919")
    assert not nhs_check_digit_ok("9434765918")
    assert not nhs_check_digit_ok("943476591")


def test_the_name_list_covers_the_uk_s_communities() -> None:
    names = given_names()
    assert len(names) >= 600
    for name in ("siobhan", "rhys", "hamish", "priya", "mohammed", "chidinma", "abdirahman", "małgorzata", "joão",
                 "mehmet", "youssef", "wei"):  # fmt: skip
        assert name in names


def test_the_check_is_deterministic() -> None:
    text = "Sarah met Dr Patel on 12/03/2015 at SW9 8AB."
    assert check(text) == check(text)

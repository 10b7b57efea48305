"""Language and labelling (§8; language.md). One scenario per line."""

from __future__ import annotations

from pathlib import Path

import pytest
from rules_contract_shapes import check_language

from safeguard.rules import language
from safeguard.rules._tables import load

HERE = Path(__file__).resolve().parent
SALLY_1 = (HERE / "sally_1.txt").read_text(encoding="utf-8")
SALLY_2 = (HERE / "sally_2.txt").read_text(encoding="utf-8")


def codes(text):
    flags = language.check(text)
    check_language(language.LanguageOutcome(tuple(flags)).to_dict(), text)
    return [flag.code for flag in flags]


def test_first_sally_recording_raises_no_flag():
    assert codes(SALLY_1) == []


def test_second_sally_recording_raises_at_least_the_listed_codes():
    expected = {"streetwise", "absconding", "choice", "refuses_to_engage", "character_judgement", "promiscuous",
                "prostitution", "negative_influence"}
    assert expected <= set(codes(SALLY_2))


def test_second_sally_recording_flags_each_phrase():
    assert [(f.code, f.text) for f in language.check(SALLY_2)] == [
        ("streetwise", "streetwise"),
        ("absconding", "persistent absconder"),
        ("choice", "chooses to"),
        ("refuses_to_engage", "refuses to engage"),
        ("character_judgement", "knows best"),
        ("promiscuous", "promiscuous"),
        ("character_judgement", "doesn\u2019t seem to care"),
        ("prostitution", "prostituting herself"),
        ("character_judgement", "materialistic"),
        ("negative_influence", "negative influence"),
        ("negative_influence", "involves younger residents in her inappropriate activities"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # every code, with inflections, case and hyphen/space variants
        ("She is a child prostitute.", ["prostitution"]),
        ("concerns about child prostitution", ["prostitution"]),
        ("he is prostituting himself", ["prostitution"]),
        ("they are selling themselves", ["prostitution"]),
        ("known locally as a rent boy", ["prostitution"]),
        ("a rent-boy", ["prostitution"]),
        ("streetwise", ["streetwise"]),
        ("street-wise", ["streetwise"]),
        ("street wise", ["streetwise"]),
        ("Street-Wise", ["streetwise"]),
        ("She chooses to go", ["choice"]),
        ("she chose to go", ["choice"]),
        ("choosing to stay out", ["choice"]),
        ("he has chosen to leave", ["choice"]),
        ("they choose to", ["choice"]),
        ("she made a choice", ["choice"]),
        ("a lifestyle choice", ["choice"]),
        ("it was consensual sex", ["consent"]),
        ("a consensual relationship", ["consent"]),
        ("she consented", ["consent"]),
        ("her older boyfriend", ["boyfriend"]),
        ("her 23-year-old boyfriend", ["boyfriend"]),
        ("his girlfriend, 19, collected him", ["boyfriend"]),
        # an adult age next to the word, in every usual phrasing
        ("her boyfriend, 23, picked her up", ["boyfriend"]),  # apposition
        ("her boyfriend, aged 23, picked her up", ["boyfriend"]),
        ("her boyfriend who is 23", ["boyfriend"]),  # relative clause
        ("her boyfriend who's 23", ["boyfriend"]),
        ("her boyfriend who\u2019s 23", ["boyfriend"]),
        ("her boyfriend, who is 23, drove", ["boyfriend"]),
        ("her boyfriend who was 23 at the time", ["boyfriend"]),
        ("her boyfriend (23) drove", ["boyfriend"]),  # brackets
        ("her boyfriend (aged 23) drove", ["boyfriend"]),
        ("her boyfriend (who is 23) drove", ["boyfriend"]),
        ("her boyfriend aged 23", ["boyfriend"]),
        ("her boyfriend is 23", ["boyfriend"]),
        ("her boyfriend, now 23,", ["boyfriend"]),
        ("her boyfriend of 23", ["boyfriend"]),
        ("her boyfriend \u2013 23 \u2013 drove", ["boyfriend"]),
        ("her 23-year-old boyfriend", ["boyfriend"]),
        ("a 23 year old boyfriend", ["boyfriend"]),
        ("a 23-years-old boyfriend", ["boyfriend"]),
        ("her boyfriend is twenty-three", ["boyfriend"]),
        ("a twenty three year old girlfriend", ["boyfriend"]),
        ("her boyfriend, who is much older", ["boyfriend"]),
        ("she is promiscuous", ["promiscuous"]),
        ("a persistent absconder", ["absconding"]),
        ("absconding again", ["absconding"]),
        ("he absconded", ["absconding"]),
        ("an absconder", ["absconding"]),
        ("refuses to engage", ["refuses_to_engage"]),
        ("refused to engage", ["refuses_to_engage"]),
        ("won't engage", ["refuses_to_engage"]),
        ("won\u2019t engage", ["refuses_to_engage"]),
        ("she knows best", ["character_judgement"]),
        ("materialistic", ["character_judgement"]),
        ("doesn't care", ["character_judgement"]),
        ("doesn't seem to care", ["character_judgement"]),
        ("a negative influence", ["negative_influence"]),
        ("recruiting other children into her inappropriate activities", ["negative_influence"]),
        ("putting herself at risk", ["self_blame"]),
        ("putting themselves at risk", ["self_blame"]),
        ("a sex worker", ["sex_worker"]),
        ("STREETWISE and PROMISCUOUS", ["streetwise", "promiscuous"]),
        # word boundaries
        ("otherwise", []),
        ("streetwiseness", []),
        ("unpromiscuous", []),
        ("a care home", []),
        ("she had no choice", []),
        ("her boyfriend from school", []),
        ("she has a boyfriend", []),
        ("boyfriend aged 15", []),
        ("her boyfriend, 15, walked her home", []),
        ("her boyfriend (14)", []),
        ("her boyfriend who is 15", []),
        ("her boyfriend 20 minutes away", []),
        ("she texted her boyfriend 30 times", []),
        ("her boyfriend of 18 months", []),
        ("mum consented to the referral", []),
        ("staff are working hard to engage Sally", []),
        # apostrophes inside words are not quotation marks
        ("Sally's streetwise manner", ["streetwise"]),
        ("Sally\u2019s streetwise manner", ["streetwise"]),
        ("She doesn't go out; she's streetwise", ["streetwise"]),
        ("the child's friends' house: streetwise", ["streetwise"]),
        ("the girls' home says she is streetwise", ["streetwise"]),
        # never inside quotation marks
        ('She said "I am streetwise" and left', []),
        ("She said \u201cI chose to go\u201d", []),
        ("She said \u2018I chose to go\u2019", []),
        ("She said 'I chose to go'", []),
        ("She said 'I'm streetwise, I don't need you'", []),
        ("Sally's words: \u201cI'm not a rent boy\u201d, then streetwise", ["streetwise"]),
        ('"streetwise" was her word; she is promiscuous', ["promiscuous"]),
        ("She said: 'I won\u2019t engage' and refuses to engage", ["refuses_to_engage"]),
        # an unclosed quotation does not hide the rest of the text
        ('She said "I am streetwise', ["streetwise"]),
        ('She said "I am\n\nstreetwise" later', ["streetwise"]),
    ],
)
def test_scenarios(text, expected):
    assert codes(text) == expected


FAMILIES = load("language")["families"]


@pytest.mark.parametrize(
    ("code", "example"), [(f["code"], e) for f in FAMILIES for e in f["examples"]], ids=lambda v: str(v)
)
def test_every_documented_example_is_flagged(code, example):
    assert code in codes(f"Staff recorded that {example} today.")


@pytest.mark.parametrize(
    ("code", "example"), [(f["code"], e) for f in FAMILIES for e in f["non_examples"]], ids=lambda v: str(v)
)
def test_no_documented_non_example_is_flagged(code, example):
    assert codes(f"Staff recorded that {example} today.") == []


def test_every_code_in_language_md_has_a_family_with_why_and_suggestion():
    assert set(language.CODES) == {
        "prostitution", "streetwise", "choice", "consent", "boyfriend", "promiscuous", "absconding",
        "refuses_to_engage", "character_judgement", "negative_influence", "self_blame", "sex_worker",
    }
    assert all(f["why"] and f["suggestion"] and f["examples"] for f in FAMILIES)


def test_offsets_text_and_order():
    text = "Sally is streetwise. She chooses to go out and is promiscuous."
    flags = language.check(text)
    assert [(f.start, f.end) for f in flags] == [(9, 19), (25, 35), (50, 61)]
    assert [text[f.start : f.end] for f in flags] == ["streetwise", "chooses to", "promiscuous"]
    assert flags[0].to_dict() == {
        "code": "streetwise", "start": 9, "end": 19, "text": "streetwise",
        "suggestion": flags[0].suggestion, "why": flags[0].why, "section": "8",
    }


def test_contract_example_offsets():
    text = "The young person is thought to be very  streetwise and capable."
    assert [(f.code, f.start, f.end) for f in language.check(text)] == [("streetwise", 40, 50)]


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("no quotes, don't", []),
        ('a "b" c', [(2, 5)]),
        ("a \u201cb\u201d \u2018c\u2019", [(2, 5), (6, 9)]),
        ("a 'b c' d", [(2, 7)]),
        ("the girls' home", []),
        ('"one \'two\' three"', [(0, 17)]),
    ],
)
def test_quoted_spans(text, spans):
    assert language.quoted_spans(text) == spans


def test_text_must_be_a_string():
    with pytest.raises(TypeError):
        language.check(None)


@pytest.mark.parametrize(
    ("text", "context", "expected"),
    [
        # §9.2, §9.7: between peers aged 13 and over the handbook weighs consent itself
        ("Both said the activity was consensual.", language.PEER_SEXUAL_ACTIVITY, []),
        ("She consented and so did he.", language.PEER_SEXUAL_ACTIVITY, []),
        # every other family is still flagged there
        ("she is streetwise and it was consensual", language.PEER_SEXUAL_ACTIVITY, ["streetwise"]),
        ("her boyfriend, 23, said it was consensual", language.PEER_SEXUAL_ACTIVITY, ["boyfriend"]),
        # and consent is flagged everywhere else
        ("Both said the activity was consensual.", "", ["consent"]),
        ("She consented and so did he.", "", ["consent"]),
    ],
)
def test_consent_is_not_flagged_where_the_handbook_weighs_it(text, context, expected):
    assert [f.code for f in language.check(text, context=context)] == expected
    assert [f["code"] for f in language.evaluate(text, context=context).to_dict()["flags"]] == expected


def test_an_unknown_context_is_refused():
    with pytest.raises(ValueError):
        language.check("text", context="somewhere")

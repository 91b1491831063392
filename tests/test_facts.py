"""Facts rules, table-driven: dates against a publication date, numbers, names, quotes."""

from __future__ import annotations

from datetime import date

import pytest

from compare.facts.across import find_name, resolve_names
from compare.facts.amounts import ordinal_amount, parse_amount, split_qualifier
from compare.facts.dates import resolve_date
from compare.facts.extract import canonicalize_facts, extract_pair_facts
from compare.facts.names import name_key
from compare.read.split import split_sentences
from compare.records import Article, Fact, FactKind, Sentence

SUNDAY = date(2018, 12, 16)
MONDAY = date(2018, 12, 10)


@pytest.mark.parametrize(
    ("mention", "published", "future", "expected"),
    [
        ("Monday", SUNDAY, False, "2018-12-10"),
        ("Friday", SUNDAY, False, "2018-12-14"),
        ("Sunday", SUNDAY, False, "2018-12-16"),  # the day of publication
        ("Monday", MONDAY, False, "2018-12-10"),
        ("Monday", SUNDAY, True, "2018-12-17"),  # "will meet Monday"
        ("Monday", MONDAY, True, "2018-12-10"),  # d06: "would travel on Monday" in a Monday report: that day
        ("Monday’s", SUNDAY, False, "2018-12-10"),
        ("December 12", MONDAY, False, "2018-12-12"),  # yearless: the publication year
        ("Dec. 12, 2017", MONDAY, False, "2017-12-12"),
        ("last month", SUNDAY, False, "2018-11"),
        ("early in 2019", SUNDAY, False, "2019"),
        ("June", SUNDAY, False, "2018-06"),
        ("in recent days", SUNDAY, False, None),
        ("for months", SUNDAY, False, None),
        ("recent months", SUNDAY, False, None),
        ("several years", SUNDAY, False, None),
        ("Monday", None, False, None),  # nothing to anchor a weekday
        ("March 3, 2021", None, False, "2021-03-03"),
    ],
)
def test_resolve_date(mention, published, future, expected):
    assert resolve_date(mention, published, future=future) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("three", 3),
        ("2,000", 2000),
        ("2.4 million", 2_400_000),
        ("half a million", 500_000),
        ("twenty-one", 21),
        ("a dozen", 12),
        ("15", 15),
        ("one hundred", 100),
        ("Nineteen", 19),
        ("two hundred", 200),
        ("a record $375", 375),  # "a" is not a figure added to the next one
        ("an additional $16 billion", 16_000_000_000),
        ("no digits", None),
    ],
)
def test_parse_amount(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("at least 16", ("at least", "16")),
        ("more than 50", ("more than", "50")),
        ("about 3", ("about", "3")),
        ("19", ("", "19")),
    ],
)
def test_split_qualifier(text, expected):
    assert split_qualifier(text) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [("Kim Jong-un", "Kim Jong Un"), ("Steven T. Mnuchin", "Steven Mnuchin"), ("Lee Do-hoon", "lee do hoon")],
)
def test_name_keys_fold_equal(a, b):
    assert name_key(a) == name_key(b)


def test_short_names_resolve_to_full_names():
    a_names = [
        (FactKind.PERSON, "Kim Jong-un"),
        (FactKind.PERSON, "Kim"),
        (FactKind.PERSON, "Trump"),
        (FactKind.ORG, "Treasury Department"),
        (FactKind.ORG, "Treasury"),
    ]
    b_names = [(FactKind.PERSON, "Donald Trump"), (FactKind.PERSON, "Kim Jong Un")]
    a_map, b_map = resolve_names(a_names, b_names)
    assert name_key(a_map[(FactKind.PERSON, "Kim")]) == "kim jong un"
    assert a_map[(FactKind.PERSON, "Trump")] == "Donald Trump"  # found in the other report
    assert a_map[(FactKind.ORG, "Treasury")] == "Treasury Department"
    assert a_map[(FactKind.PERSON, "Kim Jong-un")] == b_map[(FactKind.PERSON, "Kim Jong Un")]


@pytest.mark.parametrize(
    ("a_names", "b_names", "expected"),
    [  # names of the dev pairs: one value for both reports' forms
        ([(FactKind.ORG, "NFL")], [(FactKind.ORG, "National Football League")], "National Football League (NFL)"),
        ([(FactKind.ORG, "GM")], [(FactKind.ORG, "General Motors")], "General Motors (GM)"),
        ([(FactKind.ORG, "World Anti-Doping Agency")], [(FactKind.ORG, "WADA")], "World Anti-Doping Agency (WADA)"),
        ([(FactKind.PERSON, "Christopher A. Wray")], [(FactKind.PERSON, "Chris Wray")], "Christopher A. Wray"),
    ],
)
def test_name_variants_share_one_value(a_names, b_names, expected):
    a_map, b_map = resolve_names(a_names, b_names)
    assert a_map[a_names[0]] == b_map[b_names[0]] == expected


def test_short_name_goes_to_the_fullest():
    a_map, b_map = resolve_names(
        [(FactKind.PERSON, "John Hayden"), (FactKind.PERSON, "Hayden")], [(FactKind.PERSON, "John Hayden, Jr")]
    )
    assert a_map[(FactKind.PERSON, "Hayden")] == a_map[(FactKind.PERSON, "John Hayden")] == "John Hayden, Jr"


def test_name_keeps_its_suffix():  # d02: spaCy leaves "Jr." out of the name
    assert "person:John Hayden, Jr" in facts_of("No arrests have been made, and police Chief John Hayden, Jr. said so.")


def test_initialism_is_a_whole_name():
    a_map, _ = resolve_names([(FactKind.ORG, "UAW"), (FactKind.ORG, "UAW GM department")], [])
    assert a_map[(FactKind.ORG, "UAW")] == "UAW"


def test_one_kind_per_name():
    """d08: spaCy tags "Orsk" a person before "Mayor" and a place after "headed to"; a one-word
    name that is nobody's surname and is ever a place is a place."""
    a = [(Fact(FactKind.PERSON, "Orsk", "Orsk", 0, 4), Fact(FactKind.PERSON, "Andrei Odintsov", "x", 11, 26))]
    b = [(Fact(FactKind.PLACE, "Orsk", "Orsk", 0, 4),)]
    a_out, b_out = canonicalize_facts(a, b)
    assert [f.label for fs in [*a_out, *b_out] for f in fs] == ["place:Orsk", "person:Andrei Odintsov", "place:Orsk"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (  # d02: the subject, not Dorn nor the Floyd of "the Floyd protests"
            "Missouri Gov. Mike Parson condemned the killing of Dorn and other instances of looting during the "
            'Floyd protests. "What criminals have done is not acceptable," he said in a tweet.',
            "Mike Parson",
        ),
        (  # the subject of a passive is not the one who speaks next: its agent is
            'John Smith was sentenced Thursday by U.S. District Judge Mary Jones. "You showed no remorse," she said.',
            "Mary Jones",
        ),
        ('Trump was criticized by Sen. Lindsey Graham on Sunday. "It is a big mistake," he said.', "Lindsey Graham"),
        ('Macron said Trump was wrong about the deal. "It is a mistake," he said.', "Macron"),  # the one speaking
        ('Prosecutor Ann Lee said Tom Brown had confessed. "He knew what he did," she said.', "Ann Lee"),
        (  # nested speech: the one the main verb reports speaking, not the one inside their words
            "House Speaker Nancy Pelosi said President Donald Trump told her he would sign the bill. "
            '"I don\'t believe him," she said.',
            "Nancy Pelosi",
        ),
        (
            "Prime Minister Boris Johnson, speaking after Jeremy Corbyn said the deal was dead, told MPs to back "
            'it. "It is a good deal for Britain," he said.',
            "Boris Johnson",
        ),
        (  # d01: spaCy misparses "co-owns"; the last person named is still the one
            "Jason Corona co-owns a Mexican restaurant that was packed that night. "
            '"We\'ve never had anything like this," he said.',
            "Jason Corona",
        ),
    ],
)
def test_he_said_is_the_person_the_sentence_before_is_about(text, speaker):
    quotes = [x for x in facts_of(text) if x.startswith("quote:")]
    assert quotes and all(q == f"quote:{speaker}" for q in quotes)


@pytest.mark.parametrize(
    ("name", "text", "found"),
    [
        ("Border Patrol", "The troops would support the border patrol, said the official.", "border patrol"),
        ("Border Patrol", "The Border Patrol said so.", "Border Patrol"),
        ("Supreme Court", "The state supreme court had upheld the law.", None),  # another court
        ("Health Ministry", "Israel's health ministry said it was not aware.", None),
        ("West Bank", "They camped on the west bank of the river.", None),
        ("Florida", "Officials in Florida said the base was closed.", "Florida"),
        ("Florida", "He attacked a Florida Navy base.", None),  # inside a longer name
        ("Chase", "Chase was arrested on Monday.", None),  # a capital that only opens the sentence
        ("Turkey", '"Turkey prices rose," he said.', None),
    ],
)
def test_where_a_name_of_the_other_report_is_found(name, text, found):
    span = find_name(name, text)
    assert (text[span[0] : span[1]] if span else None) == found


def test_names_the_other_report_writes_found_where_spacy_missed_them():
    """d05: one report writes "the Border Patrol", the other "the border patrol": both name it. A
    one-word name counts only standing alone ("Kern" is not in "Kern County"), and a match inside a
    name the sentence already has is not a second name."""
    rows = facts_csv(
        "The additional troops would provide logistical and other support to the border patrol, said the "
        "US official. Jeremy Kern spoke in Kern.",
        "The additional troops would provide logistical and other support to the Border Patrol, said the "
        "U.S. official. "
        "The Kern County Fire Department said so.",
    )
    assert ("org", "Border Patrol", "true", "true") in rows
    assert not any(r[1] == "Jeremy Kern" and r[3] == "true" for r in rows)
    assert not any(r[1].startswith("Kern County") and r[2] == "true" for r in rows)


@pytest.mark.parametrize(
    ("a_names", "b_names", "expected"),
    [
        ([(FactKind.ORG, "Treasury")], [(FactKind.ORG, "Treasury Department")], "Treasury Department"),
        (  # a word made from a place the other report names and this one does not
            [(FactKind.ORG, "Navy")],
            [(FactKind.PLACE, "Iran"), (FactKind.ORG, "Iranian Navy")],
            "Navy",
        ),
        (  # the other report's fuller name adds a place this one names too
            [(FactKind.PLACE, "Saudi Arabia"), (FactKind.ORG, "Air Force")],
            [(FactKind.PLACE, "Saudi Arabia"), (FactKind.ORG, "Royal Saudi Air Force")],
            "Royal Saudi Air Force",
        ),
        (
            [(FactKind.PLACE, "China"), (FactKind.ORG, "Foreign Ministry")],
            [(FactKind.PLACE, "Canada"), (FactKind.ORG, "Canada's foreign ministry")],
            "Foreign Ministry",
        ),
        (
            [(FactKind.PLACE, "Canada"), (FactKind.ORG, "Foreign Ministry")],
            [(FactKind.ORG, "Canada's foreign ministry")],
            "Canada's foreign ministry",
        ),
    ],
)
def test_short_organisation_takes_the_other_reports_name_only_when_its_own_allows(a_names, b_names, expected):
    a_map, _ = resolve_names(a_names, b_names)
    assert a_map[a_names[-1]] == expected


@pytest.mark.parametrize(
    ("a_text", "b_text", "a_row", "b_row"),
    [
        (  # spaCy tags "health ministry" in lower case: whose it is belongs to it
            "Gaza's Health Ministry said 20 people died.",
            "Israel's health ministry said it was not aware.",
            ("org", "Health Ministry", "true", "false"),
            ("org", "Israel's health ministry", "false", "true"),
        ),
        (
            "The Supreme Court agreed to hear the case.",
            "The state supreme court had upheld the law.",
            ("org", "Supreme Court", "true", "false"),
            ("org", "state supreme court", "false", "true"),
        ),
    ],
)
def test_a_body_described_in_lower_case_is_not_the_named_one(a_text, b_text, a_row, b_row):
    rows = facts_csv(a_text, b_text)
    assert a_row in rows and b_row in rows


@pytest.mark.parametrize(
    ("a_text", "b_text", "row"),
    [
        (
            "The Israeli Health Ministry said 20 people were hurt.",
            "Israel's health ministry said it was not aware.",
            ("org", "Israeli Health Ministry", "true", "true"),
        ),
        (
            "The Ukrainian Defence Ministry said troops held the line.",
            "Ukraine's defence ministry said troops held.",
            ("org", "Ukrainian Defence Ministry", "true", "true"),
        ),
    ],
)
def test_a_body_described_in_lower_case_is_the_name_of_the_same_place(a_text, b_text, row):
    assert row in facts_csv(a_text, b_text)


def test_a_place_in_lower_case_is_no_place():
    rows = facts_csv("Protesters gathered in the West Bank.", "They camped on the west bank of the river.")
    assert ("place", "West Bank", "true", "false") in rows or ("org", "West Bank", "true", "false") in rows
    assert not any(r[1] == "West Bank" and r[3] == "true" for r in rows)


def test_acronym_needs_every_initial():
    a_map, b_map = resolve_names([(FactKind.ORG, "NFL")], [(FactKind.ORG, "National Basketball Association")])
    assert a_map[(FactKind.ORG, "NFL")] == "NFL"


def facts_of(text: str, published: date | None = SUNDAY) -> list[str]:
    article = Article("x", "x", "", published, text)
    sentences = split_sentences(article)
    other = Article("y", "y", "", published, "Nothing here.")
    facts, _ = extract_pair_facts(article, sentences, other, split_sentences(other))
    return [f.label for fs in facts for f in fs]


def test_sentence_facts_end_to_end():
    labels = facts_of(
        "The Treasury Department announced sanctions Monday against Jong Kyong-thaek. "
        "Mr. Jong is minister of state security."
    )
    assert "date:2018-12-10" in labels
    assert labels.count("person:Jong Kyong-thaek") == 2  # "Mr. Jong" resolves back
    assert "org:Treasury Department" in labels


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The deal includes 9,000 hourly U.S. jobs.", "place:United States"),  # "U.S." folds to nothing
        ("Bakkum said the U.K. would follow.", "place:United Kingdom"),
    ],
)
def test_place_aliases(text, expected):
    assert expected in facts_of(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [  # bodies spaCy leaves untagged, from the dev pairs
        (
            "Cities have seen protests since a white Minneapolis police officer pressed his knee.",
            "org:Minneapolis police",
        ),
        ("It was largely hollowed out under the Obama administration.", "org:Obama administration"),
        ("The IOC executive board has made its position very clear.", "org:IOC executive board"),
        (  # a body with seats in many places is named with its seat
            "The Saudi Embassy in Washington said in a statement they are providing support.",
            "org:Saudi Embassy in Washington",
        ),
        (
            "William Zarit, chairman of the American Chamber of Commerce in China, spoke.",
            "org:American Chamber of Commerce in China",
        ),
        (  # not a person
            "A subsidiary of British sports betting operator William Hill PLC is one of the companies "
            "hoping to capitalize.",
            "org:William Hill PLC",
        ),
        ("Alexei Kurashov, president of the Russian freestyle federation, spoke.", "org:Russian freestyle federation"),
    ],
)
def test_org_phrases(text, expected):
    assert expected in facts_of(text)


def test_numbers_count_people():
    labels = facts_of("The administration slapped sanctions on three North Koreans on Monday.")
    assert "number:3 North Koreans" in labels


def test_quotes_with_speaker_and_continuation():
    text = (
        "“Sanctioning three officials is what I would call ankle biting,” Wit said. "
        "“It looks nice, but it is not going to have any effect at all.”"
    )
    article = Article("x", "x", "", SUNDAY, "Joel Wit spoke. " + text)
    sentences = split_sentences(article)
    other = Article("y", "y", "", SUNDAY, "Nothing here.")
    facts, _ = extract_pair_facts(article, sentences, other, split_sentences(other))
    quotes = [f for fs in facts for f in fs if f.kind is FactKind.QUOTE]
    assert [q.value for q in quotes] == ["Joel Wit", "Joel Wit"]
    assert quotes[1].text.startswith("It looks nice")


def test_day_run_into_a_term_is_still_the_day():
    """d10: "sentenced on Thursday to 20 years": the day is a date of its own."""
    assert "date:2017-12-07" in facts_of("He was sentenced on Thursday to 20 years in prison.", date(2017, 12, 8))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Biegun will meet his counterpart Monday.", "date:2018-12-17"),  # points forward
        ("Yonhap reported Sunday that the talks stalled.", "date:2018-12-16"),
        ("Mr. Trump suggested Friday there is little momentum.", "date:2018-12-14"),
        ("The working group was established last month.", "date:2018-11"),
        ("Police would not say Saturday whether anyone was hurt.", "date:2018-12-15"),  # a refusal, not a plan
        ("He could not be reached for comment on Friday.", "date:2018-12-14"),
    ],
)
def test_dates_in_sentences(text, expected):
    assert expected in facts_of(text)


@pytest.mark.parametrize(
    ("text", "published", "expected", "absent"),
    [  # sentences of the dev pairs, against their publication dates
        (
            "Alshamrani, 21, killed three people when he opened fire in a classroom on Dec. 6.",
            date(2020, 5, 18),
            "date:2019-12-06",  # a yearless day months ahead is last year's
            "date:2020-05-21",  # an age is no date
        ),
        ("GM announced plans to close four US plants last November.", date(2019, 10, 16), "date:2018-11", ""),
        (
            "Last weekend, the union raised strike benefits 10% to $275 a week.",
            date(2019, 10, 16),
            "date:2019-10-12",
            "",
        ),
        ("The company expects to begin charging in July.", date(2020, 6, 29), "date:2020-07", "date:2019-07"),
        (
            "The regulator last week recommended conditional approval of the drug.",
            date(2020, 6, 29),
            "date:2020-06",
            "",
        ),
        ("Fitch led the St. Louis County Police Department from 2009 to 2014.", date(2020, 6, 3), "date:2009-2014", ""),
        ("Putin was to meet Palestinian leader Mahmoud Abbas on Monday.", date(2018, 2, 11), "date:2018-02-12", ""),
        (  # a modal points forward
            "Dittes is refraining from details until local union leaders can meet in Detroit on Thursday.",
            date(2019, 10, 16),
            "date:2019-10-17",
            "",
        ),
        (  # a past verb: a yearless day ahead of publication is last year's
            "Alshamrani had made posts on social media, including one on the September 11 anniversary.",
            date(2020, 5, 18),
            "date:2019-09-11",
            "date:2020-09-11",
        ),
        (  # ... but not an end point
            "The agency said it secured more than 500,000 courses for U.S. hospitals through September.",
            date(2020, 6, 29),
            "date:2020-09",
            "",
        ),
        ("Al Qaeda thrived for years after 9/11, conducting deadly attacks.", date(2020, 5, 18), "date:2001-09-11", ""),
        (  # the part of the day as a date of its own, beside the day
            "The Saudi Embassy issued a statement Monday evening.",
            date(2020, 5, 18),
            "date:2020-05-18 evening",
            "",
        ),
        ("The fire had grown to 6,000 acres late Sunday.", date(2013, 7, 1), "date:2013-06-30 late", ""),
        # spaCy tags "Monday night" TIME: a time that names a day is that day, and its part
        ("Police said the shooting happened Monday night.", date(2020, 3, 11), "date:2020-03-09", ""),
        ("Police said the shooting happened Monday night.", date(2020, 3, 11), "date:2020-03-09 night", ""),
        (
            "Washington's tariff on Chinese goods kicked in at 12:01 a.m. EDT on Friday.",
            date(2018, 7, 6),
            "date:2018-07-06 00:01",
            "",
        ),
    ],
)
def test_dates_against_publication(text, published, expected, absent):
    labels = facts_of(text, published)
    assert expected in labels
    assert absent not in labels


def test_report_without_date_uses_the_others():
    article = Article("x", "x", "", None, "Warmbier would have turned 24 on December 12.")
    other = Article("y", "y", "", SUNDAY, "Nothing here.")
    facts, _ = extract_pair_facts(article, split_sentences(article), other, split_sentences(other))
    assert "date:2018-12-12" in [f.label for fs in facts for f in fs]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Winds reached 120 mph on the coast.", ("speed_kph", 193.12128)),
        ("Prices rose 5% last year.", ("percent", 5)),
        ("The fund lost $2.4 million.", ("money_usd", 2_400_000)),
        ("At least 16 people died.", ("people", 16)),
    ],
)
def test_number_units(text, expected):
    article = Article("x", "x", "", SUNDAY, text)
    other = Article("y", "y", "", SUNDAY, "Nothing here.")
    facts, _ = extract_pair_facts(article, split_sentences(article), other, split_sentences(other))
    numbers = [(f.slot, f.amount) for fs in facts for f in fs if f.kind is FactKind.NUMBER]
    assert numbers and numbers[0][0] == expected[0] and numbers[0][1] == pytest.approx(expected[1])


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        (
            "Bruce Klingner spoke. “It’s a welcome re-acknowledgment of the record,” said Bruce Klingner.",
            ["Bruce Klingner"],
        ),
        (
            "“These sanctions demonstrate support for freedom of expression,” Treasury Secretary Steven Mnuchin said.",
            ["Steven Mnuchin"],
        ),
        (
            "Joel Wit spoke. “Sanctioning three officials is ankle biting,” Wit said. "
            "“It looks nice, but it does nothing.”",
            ["Joel Wit", "Joel Wit"],
        ),
        ("Joel Wit spoke. “We are in no hurry at all,” he said.", ["Joel Wit"]),  # a pronoun continues the speaker
        (
            "Treasury said the sanctions highlight the “reprehensible treatment of those in North Korea” today.",
            ["Treasury"],
        ),
        ("The President has declared he is in “love” with Kim.", []),  # a scare quote is not a quote
        # sentences of the dev pairs
        (  # a quote over two sentences: its speaker is named where it ends
            "Samuel Alito wrote the opinion. “The legalization of sports gambling requires an important policy "
            "choice, but the choice is not ours to make. Congress can regulate sports gambling directly, but if it "
            "elects not to do so, each state is free to act on its own,” Justice Samuel Alito wrote on behalf of "
            "the court.",
            ["Samuel Alito", "Samuel Alito"],
        ),
        (  # the speech verb nearest the quote, not "claimed" with its pronoun subject
            "Alshamrani saved a will on his phone, the same document AQAP released after the shooting when it "
            "claimed responsibility for it, said FBI Director Chris Wray, who called the attack “the brutal "
            "culmination of years of planning and preparation.”",
            ["Chris Wray"],
        ),
        (  # a straight quote that the sentence leaves open
            'President Donald Trump tweeted about the death, writing: "Our highest respect to the family of David '
            "Dorn, a Great Police Captain from St. Louis, who was viciously shot and killed by despicable looters "
            'last night. We honor our police officers, perhaps more than ever before. Thank you!"',
            ["Donald Trump", "Donald Trump", "Donald Trump"],  # three sentences, one quote
        ),
        ("St. Louis police Chief John Hayden called Dorn a “fine captain.”", ["John Hayden"]),  # two words, named
        (  # a participle's speaker: the name after "with" (spaCy does not tag it a person)
            "Other Russians were more forthright, with Alexei Kravtsov, president of the Russian Skating Union, "
            "saying: “The decision is offensive, insulting and completely unjustified.”",
            ["Alexei Kravtsov"],
        ),
        (  # who wrote what speaks
            '"The legalization of sports gambling requires an important policy choice, but the choice is not '
            'ours to make," the opinion by Justice Samuel Alito said.',
            ["Samuel Alito"],
        ),
        (  # "the embassy" is the embassy named before
            "The Saudi Embassy in Washington issued a statement. "
            "“We will never let the terrorists win, or allow their acts of hatred to divide us,” the embassy said.",
            ["Saudi Embassy in Washington"],
        ),
        (  # a capital that starts the sentence is no name
            "The statement, projected via the official news agency, claimed American officials are making "
            "the “greatest miscalculation” of all.",
            [],
        ),
        (  # a subject inside the quote is no speaker (spaCy parsed "Democrat" as the subject of "said")
            "Donald Trump spoke. He tweeted Thursday: “Democrat inspired laws make it tough for us to stop people "
            "at the border” and said he was using the military.",
            ["Donald Trump"],
        ),
        (  # "continued to" is no speech verb
            "The Saudi government continued to provide “full support to our American counterparts.”",
            [],
        ),
        (  # two words given to people nobody names stay scare quotes
            'The deal will include a "clear path" for temporary workers, according to two people briefed on the pact.',
            [],
        ),
        (  # d12: words quoted within what Wray says are his to report, and so is the "he said" after them
            "Alshamrani also wrote a “final will purporting to explain himself” that was saved on his phone, "
            "Mr. Wray said. “We now have a picture of him we didn’t have before we obtained this evidence,” he said.",
            ["Wray", "Wray"],
        ),
        ("“We will respond to this,” Mnuchin told reporters, who asked him.", ["Mnuchin"]),  # speech set off
        (  # a quoted clause is the words of the one who said it, not of the one reporting it
            "Prosecutors said Smith told police he “didn't mean to hurt anyone” before he fled.",
            ["Smith"],
        ),
        # words a speech verb inside another's quotes are its own subject's, as wire copy means them
        ("Officials said Governor Andrew Cuomo called the shooting “an act of terrorism.”", ["Andrew Cuomo"]),
        ("Jones said Pelosi called the plan “a dead end” for Democrats.", ["Pelosi"]),
    ],
)
def test_quote_attribution(text, speakers):
    article = Article("x", "x", "", SUNDAY, text)
    other = Article("y", "y", "", SUNDAY, "Nothing here.")
    facts, _ = extract_pair_facts(article, split_sentences(article), other, split_sentences(other))
    assert [f.value for fs in facts for f in fs if f.kind is FactKind.QUOTE] == speakers


def test_speaker_spacy_missed_is_a_person():
    labels = facts_of(
        "Maarten-Jan Bakkum, a strategist at NN Investment Partners, said in emailed comments that "
        "“protectionist measures by one country could potentially spiral out of control.”"
    )
    assert "person:Maarten-Jan Bakkum" in labels and "quote:Maarten-Jan Bakkum" in labels


def test_quote_of_a_sentence_cut_at_a_title():
    """d06: the splitter ends a sentence at "Gov."; the speaker is named in the next one."""
    texts = ["“This is as dark a day as I can remember,” Gov.", "Jan Brewer said in a statement."]
    text = " ".join(texts)
    article = Article("x", "x", "", SUNDAY, text)
    sentences = [
        Sentence("x", 0, texts[0], 0, len(texts[0]), 0),
        Sentence("x", 1, texts[1], len(texts[0]) + 1, len(text), 0),
    ]
    other = Article("y", "y", "", SUNDAY, "Nothing here.")
    facts, _ = extract_pair_facts(article, sentences, other, split_sentences(other))
    assert [f.value for f in facts[0] if f.kind is FactKind.QUOTE] == ["Jan Brewer"]


def test_sentence_over_spacys_limit_is_cut_with_a_warning(caplog):
    text = "Ten people died in Paris on Monday, officials said and " + "word " * 240_000
    article = Article("x", "x", "", SUNDAY, text)
    sentence = Sentence("x", 0, text, 0, len(text), 0)  # one sentence of 1.2 million characters
    other = Article("y", "y", "", SUNDAY, "Nothing here.")
    with caplog.at_level("WARNING", logger="compare.facts.nlp"):
        facts, _ = extract_pair_facts(article, [sentence], other, split_sentences(other))
    labels = [f.label for f in facts[0]]
    assert "place:Paris" in labels and "number:10 people" in labels
    assert "a sentence of 1,200,055 characters was cut" in caplog.text


def number_values(text: str) -> list[tuple[str, str, float | None]]:
    """(value, slot, amount) of the number facts of `text`'s sentences."""
    article = Article("x", "x", "", SUNDAY, text)
    other = Article("y", "y", "", SUNDAY, "Nothing here.")
    facts, _ = extract_pair_facts(article, split_sentences(article), other, split_sentences(other))
    return [(f.value, f.slot, f.amount) for fs in facts for f in fs if f.kind is FactKind.NUMBER]


@pytest.mark.parametrize(
    ("text", "expected"),
    [  # sentences of the dev pairs: the value says the figure as written and what it counts
        (
            "Washington imposed 25 percent tariffs on $34 billion worth of Chinese imports.",
            [("25 percent", "percent", 25), ("34 billion dollars", "money_usd", 34e9)],
        ),
        ("David Dorn served 38 years on the force.", [("38 years", "year", 38)]),
        ("Candy Guillermo, a 37-year-old migrant in the caravan, said so.", [("37 years old", "age migrant", 37)]),
        ("Alshamrani, 21, killed three people.", [("21 years old", "age alshamrani", 21), ("3 people", "people", 3)]),
        ("Details of the proposed four-year deal were not disclosed.", [("4-year deal", "year", 4)]),
        (
            "The plane was headed to Orsk about 1,000 miles southeast of Moscow, REN-TV reported.",
            [("1000 miles", "distance_km", 1609.344)],
        ),
        (
            "It closed up by just over 1% at $36.65 a share.",
            [("1 percent", "percent", 1), ("36.65 dollars per share", "money_usd per share", 36.65)],
        ),
        ("The Supreme Court ruled 6-3 to strike down the law.", [("6-3", "", 6)]),
        (
            "The price is below the range of $2,520 to $2,800 suggested by ICER.",
            [("2520 to 2800 dollars", "money_usd", 2520)],
        ),
        ("Members are expected to receive raises of 3% to 4% each year.", [("3 to 4 percent", "percent", 3)]),
        (
            "The facility covers more than 1.1 million acres in Kern County.",
            [("1.1 million acres", "area_ha", 1.1e6 * 0.40468564224)],  # an area, in hectares
        ),
        (
            "Trump will dispatch at least 800 active duty troops to the border.",
            [("800 active duty troops", "people", 800)],
        ),
        ("A deputy shot Alshamrani about 15 minutes into the attack.", [("15 minutes", "minute", 15)]),
        (
            "All four major U.S. professional sports leagues sued.",
            [("4 major U.S. professional sports leagues", "league", 4)],
        ),
        ("Nineteen firefighters died.", [("19 firefighters", "people", 19)]),
        ("The deficit hit a record $375 billion in 2017.", [("375 billion dollars", "money_usd", 375e9)]),
        (  # a price per unit is its own slot, so it is not compared with a total
            "The cost will be $2,340 per COVID-19 patient for Medicare.",
            [("2340 dollars per patient", "money_usd per patient", 2340)],
        ),
        (
            "Last weekend, the union raised strike benefits to $275 a week.",
            [("275 dollars per week", "money_usd per week", 275)],
        ),
        (
            "Gilead agreed to send nearly all of its supply to the United States over the next three months.",
            [("3 months", "month", 3)],
        ),
        (
            "It struck near Ridgecrest and lasted for about a minute, the US Geological Survey said.",
            [("1 minute", "minute", 1)],
        ),
        ("The trial ended a year ago.", []),  # a date, not a length of time
        ("A 7.1-magnitude earthquake rocked Southern California.", [("7.1 magnitude", "magnitude", 7.1)]),
        (
            "The temblor was given a preliminary magnitude of between 6.9 and 7.1, officials said.",
            [("6.9 to 7.1 magnitude", "magnitude", 6.9)],  # a range: amount 6.9, high 7.1
        ),
        (  # a change: its last figure is the one now
            "The blaze grew quickly, spreading from 2,000 acres to 6,000 acres as of late Sunday night.",
            [("2000 to 6000 acres", "area_ha", 6000 * 0.40468564224)],
        ),
        ("By Monday, 25 Russian athletes had been banned.", [("25 Russian athletes", "people", 25)]),
        (  # a figure with a decimal point before "quake" is a magnitude, not a count of quakes
            "For a 6.5 quake you'd expect a lot of aftershocks, Hough said.",
            [("6.5 magnitude", "magnitude", 6.5)],
        ),
        (  # a count per unit of time is a rate, its own slot, so it is not compared with a total
            "The region has seen an average of one aftershock per minute since Friday's quake.",
            [("1 aftershock per minute", "aftershock per minute", 1)],
        ),
        (  # d10: spaCy reads "Thursday to 20 years" as one date; the day and the term are two
            "The former policeman was sentenced on Thursday to 20 years in prison, with a judge finding murder.",
            [("20 years", "year", 20)],
        ),
        ("He faces 5 to 10 years in prison.", []),  # a range of years is not a day and a term
        ("He was sentenced last week to 20 years in prison.", [("20 years", "year", 20)]),
        (  # d08: "crewmembers" counts people, as "crew members" does
            "The plane was carrying 65 passengers and six crewmembers.",
            [("65 passengers", "people", 65), ("6 crewmembers", "people", 6)],
        ),
        (  # d08: "a crew of six" counts the crew
            "Saratov Airlines Flight 703, with 65 passengers and a crew of six, was bound for Orsk.",
            [("65 passengers", "people", 65), ("6 crew", "people", 6)],
        ),
        ("He was one of six.", [("1", "", 1), ("6", "", 6)]),  # no group before "of"
        (  # two people's ages are two slots
            "Slager, 36, shot the 50-year-old motorist.",
            [("36 years old", "age slager", 36), ("50 years old", "age motorist", 50)],
        ),
    ],
)
def test_number_values(text, expected):
    got = number_values(text)
    assert [(v, s) for v, s, _ in got] == [(v, s) for v, s, _ in expected]
    assert [a for _, _, a in got] == pytest.approx([a for _, _, a in expected])


def facts_csv(a_text: str, b_text: str) -> list[tuple[str, str, str, str]]:
    """(kind, value, in_a, in_b) of the facts-CSV rows of two one-paragraph reports."""
    import numpy as np

    from compare.export.rows import fact_rows
    from compare.records import Comparison, Side

    a, b = Article("a", "a", "", SUNDAY, a_text), Article("b", "b", "", SUNDAY, b_text)
    a_sentences, b_sentences = split_sentences(a), split_sentences(b)
    a_facts, b_facts = extract_pair_facts(a, a_sentences, b, b_sentences)
    empty = np.zeros((0, 2), dtype=np.float32)
    comparison = Comparison(
        Side(a, tuple(a_sentences), tuple(a_facts), empty), Side(b, tuple(b_sentences), tuple(b_facts), empty), (), ""
    )
    return [(r["kind"], r["value"], r["in_a"], r["in_b"]) for r in fact_rows(comparison)]


def test_facts_csv_has_a_row_per_quote():
    """d04: Zarit's first quote is in both reports, his second only in B."""
    rows = facts_csv(
        "“There are no winners in a trade war,” William Zarit said.",
        "“There are no winners in a trade war,” said William Zarit. "
        "“We urge the two governments to come back to the negotiation table,” Zarit said.",
    )
    quotes = [r for r in rows if r[0] == "quote"]
    assert sorted(quotes) == [("quote", "William Zarit", "false", "true"), ("quote", "William Zarit", "true", "true")]


def test_facts_csv_puts_a_bare_figure_on_its_counted_row():
    """d06: "which killed 29" in B is A's "29 firefighters"."""
    rows = facts_csv(
        "The 1933 Griffith Park fire killed 29 firefighters.",
        "The last fire to kill more firefighters was the 1933 Griffith Park fire, which killed 29.",
    )
    assert ("number", "29 firefighters", "true", "true") in rows


def test_facts_csv_never_puts_a_bare_figure_on_a_rank():
    """A rank ("the eighth boy") says no count: a bare "eight" stays a row of its own."""
    rows = facts_csv(
        "Rescuers brought out the eighth boy on Monday evening.",
        "The boys who were rescued numbered eight by Monday evening.",
    )
    assert ("number", "8th boy", "true", "false") in rows
    assert not any(r[1] == "8th boy" and r[3] == "true" for r in rows)


@pytest.mark.parametrize(
    ("text", "expected"),
    [  # ranks: the value starts with the digits, the slot family is the rank's own
        ("A third night of protests gave way to quiet streets.", [("3rd night", "ordinal_night", 3)]),
        ("The gunman fired from the 32nd floor of the hotel.", [("32nd floor", "ordinal_floor", 32)]),
        ("He was the seventh secretary general.", [("7th secretary general", "ordinal_general", 7)]),
        ("She parked on the fourth floor.", [("4th floor", "ordinal_floor", 4)]),
        ("Protesters marched for a third straight night Thursday.", [("3rd straight night", "ordinal_night", 3)]),
        ("Sales fell for the third consecutive month.", [("3rd consecutive month", "ordinal_month", 3)]),
        ("That is the first time anyone has spoken.", []),  # "first", "second": mostly no rank of the event
        ("A second hostage was killed.", []),
        ("They hired a third-party firm.", []),  # in a compound word
        ("It is the state's third-largest city.", []),
        ("Voters in the 18th Congressional District went to the polls.", []),  # part of a name
    ],
)
def test_ordinal_values(text, expected):
    got = number_values(text)
    assert [(v, s) for v, s, _ in got] == [(v, s) for v, s, _ in expected]
    assert [a for _, _, a in got] == pytest.approx([a for _, _, a in expected])


@pytest.mark.parametrize(
    ("text", "expected"),
    [  # a length of time between two events is a length of time; "ago" makes a date
        ("The investigation was closed 10 months later.", [("10 months", "month", 10)]),
        ("Police arrived three minutes later.", [("3 minutes", "minute", 3)]),
        ("He was still standing more than 10 hours later.", [("10 hours", "hour", 10)]),
        ("The trial ended four years ago.", []),
        ("Hours later, the base reopened.", []),  # no figure
    ],
)
def test_length_of_time_before_later(text, expected):
    got = number_values(text)
    assert [(v, s) for v, s, _ in got] == [(v, s) for v, s, _ in expected]
    assert [a for _, _, a in got] == pytest.approx([a for _, _, a in expected])


@pytest.mark.parametrize(
    ("text", "expected"),
    [  # a figure in digits hyphenated to a measure word, with the noun it describes
        ("The report included a 50-page sworn affidavit.", [("50-page sworn affidavit", "page_affidavit", 50)]),
        ("Engineers inspected the 770-foot-tall Oroville Dam.", [("770-foot-tall Oroville Dam", "foot_dam", 770)]),
        ("The navy sent a 10,000-ton ship.", [("10,000-ton ship", "mass_kg_ship", 1e7)]),
        ("Most of the original 387-strong squad took part.", [("387-strong squad", "strong_squad", 387)]),
        ("They sent an 18-person recovery team.", [("18-person recovery team", "people", 18)]),
        (  # two measures of one hole: each its own figure
            "It left a 200-foot-long, 30-foot-deep hole.",
            [("200-foot-long hole", "foot_hole", 200), ("30-foot-deep hole", "foot_hole", 30)],
        ),
        ("He killed his half-brother.", []),  # a number word in a compound word
        ("The court ruled on a 6-3 vote.", []),  # a score, not a measure
    ],
)
def test_hyphenated_measures(text, expected):
    got = number_values(text)
    assert [(v, s) for v, s, _ in got] == [(v, s) for v, s, _ in expected]
    assert [a for _, _, a in got] == pytest.approx([a for _, _, a in expected])


@pytest.mark.parametrize(
    ("text", "expected"),
    [("32nd", 32), ("third", 3), ("twenty-first", 21), ("fortieth", 40), ("hundredth", 100), ("eighth", 8),
     ("Secondly", None), ("month", None)],
)
def test_ordinal_amount(text, expected):
    assert ordinal_amount(text) == expected


def test_a_rank_is_never_compared_with_a_count():
    """"the fourth night" ranks nights; "three nights" counts them: no figure pair, no count pair."""
    from compare.facts.amounts import slot_family
    from compare.judge.evidence import count_pairs
    from compare.judge.figures import counts, figure_pairs

    a_text, b_text = "Marchers came back for a fourth night of protests.", "Marchers have protested for three nights."
    a = Article("a", "a", "", SUNDAY, a_text)
    b = Article("b", "b", "", SUNDAY, b_text)
    a_facts, b_facts = extract_pair_facts(a, split_sentences(a), b, split_sentences(b))
    xs, ys = [f for f in a_facts[0] if f.kind is FactKind.NUMBER], [f for f in b_facts[0] if f.kind is FactKind.NUMBER]
    assert [(f.value, f.slot) for f in xs] == [("4th night", "ordinal_night")]
    assert [(f.value, f.slot) for f in ys] == [("3 nights", "night")]
    assert counts(xs) == []
    assert figure_pairs(a_text, xs, b_text, ys, slot_of=slot_family) == []
    assert count_pairs(a_text, xs, b_text, ys) == []


def test_measures_of_two_things_are_not_compared():
    """d28: a dam's height and a hole's length are both in feet; only the same thing's figures pair."""
    from compare.facts.amounts import slot_family
    from compare.judge.figures import figure_pairs

    a_text = "Engineers spotted a hole in the spillway of the 770-foot-tall Oroville Dam."
    b_text = "Engineers spotted a 200-foot hole in the spillway of the Oroville Dam."
    a = Article("a", "a", "", SUNDAY, a_text)
    b = Article("b", "b", "", SUNDAY, b_text)
    a_facts, b_facts = extract_pair_facts(a, split_sentences(a), b, split_sentences(b))
    xs, ys = [f for f in a_facts[0] if f.kind is FactKind.NUMBER], [f for f in b_facts[0] if f.kind is FactKind.NUMBER]
    assert [f.slot for f in xs] == ["foot_dam"] and [f.slot for f in ys] == ["foot_hole"]
    assert figure_pairs(a_text, xs, b_text, ys, slot_of=slot_family) == []


def name_labels(text: str) -> list[str]:
    """The person, org and place labels of a one-paragraph report, in order."""
    return [label for label in facts_of(text) if label.split(":")[0] in ("person", "org", "place")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [  # a capital "The" written inside the sentence is part of the name; opening it, it says nothing
        ("The mayor later told The Hill that the vote was close.", ["org:The Hill"]),
        ("The company denied a report by The Wall Street Journal on Monday.", ["org:The Wall Street Journal"]),
        ("The Wall Street Journal reported the deal on Monday.", ["org:Wall Street Journal"]),
        # a division's word after a place names the division, a plural one each place of the list
        ("The district covers parts of Cobb and Fulton counties.", ["place:Cobb county", "place:Fulton county"]),
        ("Flooding hit the Aceh province on Sunday.", ["place:Aceh province"]),
        ("Officials in several Georgia counties delayed the count.", ["place:Georgia"]),  # counties of Georgia
        ("Wreckage was found in the Tver region on Sunday.", ["place:Tver"]),  # an area around it
        # a ship named with its prefix is an organisation, found where spaCy left it untagged
        ("The destroyer USS Dewey joined the search on Sunday.", ["org:USS Dewey"]),
        # an organisation tag on what the sentence writes as a person: an age, or a speaker
        ("The family of Marcus Deon Hill, 37, was shown the video on Thursday.", ["person:Marcus Deon Hill"]),
        (
            "Narongsak said the boys were safe. Narongsak Osatanakorn said more divers had arrived.",
            ["person:Narongsak Osatanakorn", "person:Narongsak Osatanakorn"],
        ),
        # a one-word "person" the report is on is a platform
        ("The senator wrote on Twitter that he was saddened.", ["org:Twitter"]),
        ("Tony Blair said on Twitter that he was shocked.", ["person:Tony Blair", "org:Twitter"]),
    ],
)
def test_name_kinds_and_forms(text, expected):
    assert name_labels(text) == expected

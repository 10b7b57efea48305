"""Names for the synthetic data set: UK frequencies, real spelling variants, and misspellings.

Each line is one name with its real variant spellings (``Jodie/Jody/Jodi``); lines come in order of
frequency, and a name is drawn with a Zipf weight by its rank, so Smith and Olivia are common and the
tail is long. A misspelling is what a hurried professional types: a variant spelling, two letters
swapped, one dropped or doubled.
"""

from __future__ import annotations

import bisect
import itertools
import random

GIRLS = """Olivia Amelia Isla/Isler Ava Emily Isabella/Isabelle Mia Poppy Ella Lily/Lilly/Lillie Evie/Evey
Grace Sophia/Sofia Freya Charlotte Daisy Ruby Holly Jessica Lauren/Loren Chloe/Cloe Sophie/Sofie
Megan/Meghan Leah/Lea Jodie/Jody/Jodi Kayleigh/Kayley/Kaylee Courtney/Kourtney Shannon Rebecca/Rebekah
Bethany Caitlin/Katelyn Zara/Zahra Aaliyah/Aliyah Amira Maryam/Mariam Aisha/Ayesha Tia/Tiah
Chantelle/Shantelle Stacey/Stacy Demi Keeley/Keely Jade Hannah/Hana Katie/Katy Natasha Danielle
Aimee/Amy Paige Abigail Harriet Millie/Milly Scarlett/Scarlet Niamh Siobhan Fatima Zainab Amber
Georgia Eleanor Alice Maisie/Maisy Summer Skye/Sky Phoebe Erin Molly Lucy Ellie/Elly Layla/Leila
Madison Libby Jasmine/Yasmin Tilly/Tillie Nicole Kelsey Roxanne Precious Blessing Oksana Wiktoria"""

BOYS = """Oliver George Harry Jack Jacob Noah Charlie Muhammad/Mohammed/Mohammad Thomas Oscar William
James Leo Alfie Joshua Freddie/Freddy Archie Ethan Isaac Alexander Joseph Edward Samuel Max Daniel
Arthur Lucas Mason Logan Liam Connor/Conor Kieran/Ciaran Callum/Calum Jayden/Jaden Tyler Kyle
Reece/Rhys/Reese Lewis/Louis Ryan Brandon Dylan/Dillon Aiden/Aidan Harvey Finley/Finlay Ali Adam
Omar Ibrahim Yusuf/Yousef Jordan Kai Riley Toby Zak/Zac Bailey Declan Ashton Cameron/Kameron Owen
Jake Luke Nathan Bradley Corey/Kory Jamie Shane Marcus Dominik Kacper Tomasz Emmanuel Kwame"""

SURNAMES = """Smith/Smyth Jones Williams Taylor Brown Davies/Davis Evans Wilson Thomas Johnson Roberts
Robinson Thompson/Thomson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke/Clark
Patel Jackson Wood Turner Martin Cooper Hill Ward Morris Moore Lee/Li King Baker Harrison Morgan
Allen James Scott Phillips/Philips Watson Parker Price Bennett Young Griffiths/Griffith Mitchell
Kelly/Kelley Cook/Cooke Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan
Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers
Gray/Grey Mason Ali Hunt Hussain Campbell Matthews/Mathews Owen Palmer Holmes Mills Barnes Knight
Lloyd/Loyd Butler Russell Barker Fisher Stevens/Stephens Jenkins Murray Dixon Harvey Graham Pearson
Ahmed Fletcher Walsh/Welsh Kaur Gibson Howard Andrews Stewart/Stuart Elliott/Elliot Reynolds
Saunders/Sanders Payne Fox Ford Pearce/Pierce Day Brooks West Lawrence Cole Atkinson Bradley
Spencer Gill Dawson Ball Burton O'Brien Watts Rose Booth Perry Ryan Grant Wells Armstrong Francis
Rees/Reece Hayes/Hays Hart Hudson Newman Barrett Webster Hunter Gregory Carr Lowe Page Marsh Riley
Dunn Woods Parsons Berry Stone Reid/Reed Holland Hawkins Harding Porter Robertson Newton Oliver
Reeves Kennedy Jordan Wallace/Wallis McDonald/MacDonald O'Connor Nowak Kowalski Okafor Mensah
Nguyen Osei Mahmood Iqbal Rahman Chowdhury Sharma Kumar Lewandowski Popescu Doherty Quinn Byrne"""

# Names planted for the recall measurement when the query has no date of birth: rare enough that
# the planted child is the only good match.
RARE_FIRST = """Marcelina Tobiah Oluwaseun Anwen Ffion Ksenia Radek Iolanthe Saoirse Peregrine Delphine
Temperance Evander Ottilie Cosmo Araminta Leopold Wilhelmina Bartholomew Clementine Seraphina Lysander
Rosalind Ignatius Philippa Benedikt Henrietta Ambrose Cordelia Thaddeus""".split()
RARE_LAST = """Wisniewska Oyelaran Pemberton-Oakes Trevithick Szymanska Abernethy Featherstonehaugh
Quartermaine Vasilescu Ashworth-Kemp Blenkinsop Ravenscroft Tregothnan Oduya Kilbride Marchbanks
Inglethorpe Ferreira-Lowe Caulfield Dimitrov Holroyd Penhaligon Strachan Abbiss Wolstenholme Mbeki
Aldridge-Finch Castellanos Lightbody Nakamura""".split()


def _groups(text: str) -> list[tuple[str, ...]]:
    return [tuple(word.split("/")) for word in text.split()]


class NameTable:
    """Draws names by Zipf weight of rank; a variant spelling of a name one time in six."""

    VARIANT_SHARE = 1 / 6

    def __init__(self, text: str, exponent: float = 0.9) -> None:
        self.groups = _groups(text)
        weights = [1 / (rank**exponent) for rank in range(1, len(self.groups) + 1)]
        self.cumulative = list(itertools.accumulate(weights))

    def draw(self, rng: random.Random) -> str:
        index = bisect.bisect_left(self.cumulative, rng.random() * self.cumulative[-1])
        group = self.groups[min(index, len(self.groups) - 1)]
        if len(group) > 1 and rng.random() < self.VARIANT_SHARE:
            return rng.choice(group[1:])
        return group[0]

    def variants(self, name: str) -> tuple[str, ...]:
        for group in self.groups:
            if name in group:
                return group
        return (name,)


GIRL_NAMES = NameTable(GIRLS)
BOY_NAMES = NameTable(BOYS)
SURNAME_TABLE = NameTable(SURNAMES, exponent=0.8)


def surname(rng: random.Random) -> str:
    """A surname; about one in thirty is double-barrelled."""
    first = SURNAME_TABLE.draw(rng)
    if rng.random() < 1 / 30:
        return f"{first}-{SURNAME_TABLE.draw(rng)}"
    return first


def misspell(name: str, rng: random.Random, table: NameTable | None = None) -> str:
    """What a professional might type for ``name``: a real variant if there is one, else a typo."""
    if table is not None:
        others = [v for v in table.variants(name) if v != name]
        if others and rng.random() < 0.5:
            return rng.choice(others)
    letters = list(name)
    if len(letters) < 4:
        return name + name[-1]
    position = rng.randrange(1, len(letters) - 1)
    kind = rng.choice(("swap", "drop", "double", "vowel"))
    if kind == "swap" and letters[position] != letters[position + 1]:
        letters[position], letters[position + 1] = letters[position + 1], letters[position]
    elif kind == "drop":
        del letters[position]
    elif kind == "vowel" and letters[position].lower() in "aeiou":
        letters[position] = rng.choice([v for v in "aeiou" if v != letters[position].lower()])
    else:
        letters.insert(position, letters[position])
    return "".join(letters)

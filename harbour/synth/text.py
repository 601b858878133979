"""Plainly synthetic names, places and words for the synthetic county.

Given names are common ones; family names are invented (no real family is described),
streets and towns belong to the fictional county of Harbourshire. Postcodes are real (from the
ONS Postcode Directory, data/postcodes.csv) so that the Department's validators can place homes
and placements; a postcode names a few dozen addresses, not a person.
"""

import csv
import random
from functools import cache
from pathlib import Path

GIRLS = [
    "Amelia",
    "Olivia",
    "Isla",
    "Ava",
    "Mia",
    "Ivy",
    "Lily",
    "Isabella",
    "Rosie",
    "Sophia",
    "Grace",
    "Freya",
    "Willow",
    "Florence",
    "Emily",
    "Ella",
    "Poppy",
    "Evie",
    "Elsie",
    "Charlotte",
    "Evelyn",
    "Sienna",
    "Daisy",
    "Phoebe",
    "Sophie",
    "Harper",
    "Ruby",
    "Alice",
    "Matilda",
    "Millie",
    "Maya",
    "Aisha",
    "Zara",
    "Amira",
    "Hannah",
    "Layla",
    "Chloe",
    "Jessica",
    "Holly",
    "Megan",
    "Niamh",
    "Leah",
    "Kayla",
    "Zainab",
    "Maryam",
    "Fatima",
    "Amber",
    "Jasmine",
    "Lacey",
    "Paige",
]
BOYS = [
    "Noah",
    "Oliver",
    "George",
    "Arthur",
    "Muhammad",
    "Leo",
    "Harry",
    "Oscar",
    "Archie",
    "Henry",
    "Theodore",
    "Freddie",
    "Jack",
    "Charlie",
    "Theo",
    "Alfie",
    "Jacob",
    "Thomas",
    "Finley",
    "Arlo",
    "William",
    "Lucas",
    "Roman",
    "Tommy",
    "Isaac",
    "Teddy",
    "Alexander",
    "Luca",
    "Edward",
    "James",
    "Joshua",
    "Albie",
    "Elijah",
    "Max",
    "Mason",
    "Reuben",
    "Ethan",
    "Dylan",
    "Logan",
    "Kai",
    "Ryan",
    "Liam",
    "Callum",
    "Kyle",
    "Riley",
    "Ibrahim",
    "Yusuf",
    "Adam",
    "Zayn",
    "Omar",
]
ADULTS_F = [
    "Sarah",
    "Emma",
    "Laura",
    "Rebecca",
    "Gemma",
    "Kelly",
    "Claire",
    "Nicola",
    "Jade",
    "Stacey",
    "Kirsty",
    "Danielle",
]
ADULTS_M = [
    "Daniel",
    "Mark",
    "Lee",
    "Craig",
    "Darren",
    "Jamie",
    "Stuart",
    "Wayne",
    "Scott",
    "Carl",
    "Dean",
    "Gareth",
]

# Invented family names: syllables that read as English surnames without being any family's.
_FRONT = [
    "Ash",
    "Brack",
    "Corr",
    "Dun",
    "Elm",
    "Fen",
    "Gar",
    "Hal",
    "Ing",
    "Jol",
    "Kel",
    "Lark",
    "Mar",
    "Nor",
    "Ock",
    "Pell",
    "Quen",
    "Ros",
]
_FRONT += [
    "Sal",
    "Thorn",
    "Ull",
    "Vex",
    "Wen",
    "Yar",
    "Bram",
    "Cress",
    "Dray",
    "Frith",
    "Glen",
    "Hob",
]
_BACK = [
    "wick",
    "ridge",
    "ford",
    "lowe",
    "thorpe",
    "by",
    "combe",
    "stead",
    "wood",
    "holm",
    "ley",
    "ton",
    "dell",
    "mere",
    "croft",
    "bury",
]

STREETS = [
    "Oak",
    "Ash",
    "Beech",
    "Rowan",
    "Willow",
    "Alder",
    "Hazel",
    "Elder",
    "Cedar",
    "Larch",
    "Maple",
    "Birch",
]
STREET_KINDS = [
    "Road",
    "Street",
    "Close",
    "Avenue",
    "Lane",
    "Way",
    "Crescent",
    "Gardens",
    "Drive",
    "Terrace",
]
TOWNS = {
    "Northmoor": ("Northmoor", "Crayhaven", "Fellside"),
    "Eastvale": ("Eastvale", "Brightwater", "Lowmarsh"),
    "Southmere": ("Southmere", "Kestrel Bay", "Harbour Town"),
}


def surname(rng: random.Random) -> str:
    return rng.choice(_FRONT) + rng.choice(_BACK)


def given_name(rng: random.Random, sex: str) -> str:
    if sex == "F":
        return rng.choice(GIRLS)
    if sex == "M":
        return rng.choice(BOYS)
    return rng.choice(GIRLS + BOYS)


def adult_name(rng: random.Random, sex: str) -> str:
    return rng.choice(ADULTS_F if sex == "F" else ADULTS_M)


def address(rng: random.Random, district: str) -> tuple[str, str, str]:
    """A fictional street and town with a real postcode of the district's area (or, for
    "elsewhere", of another authority): see data/postcodes.csv."""
    line_1 = f"{rng.randint(1, 180)} {rng.choice(STREETS)} {rng.choice(STREET_KINDS)}"
    town = rng.choice(TOWNS.get(district, ("Elsewhere",)))
    pool = postcodes()
    return line_1, town, rng.choice(pool.get(district) or pool["elsewhere"])


@cache
def postcodes() -> dict[str, list[str]]:
    pool: dict[str, list[str]] = {}
    path = Path(__file__).parent / "data" / "postcodes.csv"
    with path.open(encoding="utf-8") as file:
        rows = csv.DictReader(line for line in file if not line.startswith("#"))
        for row in rows:
            pool.setdefault(row["area"], []).append(row["postcode"])
    return pool


CONCERNS = (
    "School reports the child arrived hungry and unkempt on several days this term.",
    "Police attended a domestic incident at the home overnight; the child was present.",
    "Health visitor concerned about the home conditions and missed health appointments.",
    "The child disclosed to a teacher that an adult at home hit them.",
    "A&E attendance with an injury the explanation given does not fully account for.",
    "Neighbour reports shouting and the child left alone late in the evening.",
    "Parent asked for help coping with the child's behaviour and their own mental health.",
    "The child has been missing from home twice this month and may be at risk of exploitation.",
    "Concerns about a parent's drinking and the care of the younger children.",
    "The young person is sofa-surfing after a family breakdown.",
)
VIEWS = (
    "Said they like school and their friends, and want things at home to be calmer.",
    "Talked about their dog and football; said they worry when mum is upset.",
    "Did not want to talk about home today; we agreed to meet at school next time.",
    "Said they feel safe where they are living and want to see their brother more.",
    "Drew a picture of the people in their home and said who they feel close to.",
    "Told me they want to stay with their carers and keep going to the same school.",
)
OBSERVATIONS = (
    "Home warm and tidy; food in the cupboards; child's bedroom clean with a bed and bedding.",
    "Child appeared relaxed with the carer and sought comfort appropriately.",
    "Some improvement in home conditions since the last visit; laundry still building up.",
    "Parent engaged well and had attended the appointment arranged at the last visit.",
    "Child appeared tired; school confirms attendance has improved to 92%.",
)
CONTINGENCY = (
    "If the agreed improvements are not sustained the core group will meet within five working "
    "days and legal advice will be sought on whether the threshold for proceedings is met."
)
CONSEQUENCES = (
    "Parents understand that if they do not engage with the plan the local authority will "
    "consider a legal planning meeting and may seek to share care of the child."
)
OUTCOMES = (
    "The child lives in a home free from domestic abuse.",
    "The child attends school every day, on time, clean and fed.",
    "The child's health needs are met and appointments kept.",
    "The parent's alcohol use no longer affects their care of the child.",
    "The child is safe from exploitation and knows who to contact if worried.",
)
ACTIONS = (
    "Attend the domestic abuse recovery programme",
    "Register with and attend the GP for a health review",
    "Complete the parenting programme",
    "Agree a school attendance plan with the school",
    "Engage with the drug and alcohol service",
)

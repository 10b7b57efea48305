"""`safeguard bench-data`: a deterministic synthetic partnership at the size of a police force area.

The same seed, scale and ``as_of`` day give the same rows, ids included (``digest`` proves it). Rows
go in through ``writer.RowWriter`` (COPY on PostgreSQL); ids are allocated here so rows can point at
each other. Name keys are filled by the app's own ``phonetic_key``, as the child services fill them.

Distributions: ids follow the order records were created over ten years; most children have a few
chronology items and a long tail has thousands; names follow UK frequencies with real variant
spellings, aliases and double-barrelled surnames. Planted children, and the misspelt queries a
professional would type for them, measure search recall (written to a JSON file by the command).
"""

from __future__ import annotations

import functools
import hashlib
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from django.db import connection

from safeguard.accounts.models import Agency, AgencyKind, Role, RoleGrant, User
from safeguard.children.matching import name_words, phonetic_key, second_key
from safeguard.children.models import Child, ChildName, ChronologyItem, Gender, Involvement, NameKey, NameWord

from . import names
from .records import LOADED as CASE_RECORDS
from .records import write_episodes, write_referrals, write_screenings
from .writer import RowWriter, finish, next_id, skip_foreign_key_checks, without_indexes

# The big tables: their secondary indexes are built once after the load (PostgreSQL).
LOADED = [Child, ChildName, NameKey, Involvement, ChronologyItem, *CASE_RECORDS]
UNUSABLE_PASSWORD = "!bench-data-no-password"  # noqa: S105 - an unusable hash: nobody signs in with it
YEARS = 10


@dataclass(frozen=True)
class Scale:
    children: int
    chronology: int
    referrals: int
    episodes: int
    users: int
    schools: int
    heavy: int  # children in the long tail, with up to heavy_max chronology items
    heavy_max: int
    planted: int


SCALES = {
    "tiny": Scale(300, 1_200, 120, 40, 60, 4, 2, 60, 10),
    "small": Scale(5_000, 20_000, 2_000, 600, 320, 20, 5, 1_000, 40),
    # A tenth of region: for growth checks on a machine that cannot spare a region load.
    "medium": Scale(50_000, 200_000, 20_000, 6_000, 800, 60, 15, 3_000, 100),
    "region": Scale(500_000, 2_000_000, 200_000, 60_000, 3_200, 250, 40, 5_000, 100),
}
SCALES["large"] = replace(
    SCALES["region"], children=1_000_000, chronology=4_000_000, referrals=400_000, episodes=120_000, users=6_400
)

# Well-known logins the benchmark signs in as (their sessions are made by `make bench`).
PERSONAS = [
    # username, agency key, roles
    ("bench.mash", "csc", [Role.CSC_MASH, Role.PRACTITIONER]),
    ("bench.police", "police", [Role.POLICE_LEAD, Role.PRACTITIONER]),
    ("bench.teacher", "school0", [Role.PRACTITIONER]),
    ("bench.lead", "school0", [Role.NAMED_LEAD, Role.DESIGNATED_LEAD, Role.PRACTITIONER]),
    ("bench.chair", "csc", [Role.MARP_CHAIR]),
    ("bench.analyst", "lscb", [Role.LSCB_ANALYST]),
]


@dataclass
class World:
    """What later tables need to know about earlier ones."""

    scale: Scale
    as_of: datetime
    start: datetime
    agencies: dict[str, int] = field(default_factory=dict)  # key → id
    agency_kind: dict[int, str] = field(default_factory=dict)
    staff: dict[int, list[int]] = field(default_factory=dict)  # agency id → user ids
    first_child: int = 0
    looked_after: list[int] = field(default_factory=list)
    heavy: list[int] = field(default_factory=list)  # the long tail, the longest chronology first
    planted: list[dict] = field(default_factory=list)

    def created_at(self, child_id: int) -> datetime:
        """Records were created evenly over the ten years, in id order."""
        share = (child_id - self.first_child) / max(1, self.scale.children)
        return self.start + (self.as_of - self.start) * share

    def when_after(self, rng: random.Random, since: datetime) -> datetime:
        """A moment between ``since`` and ``as_of``, more often recent."""
        span = (self.as_of - since).total_seconds()
        return since + timedelta(seconds=span * math.sqrt(rng.random()))

    def someone_at(self, rng: random.Random, agency_id: int) -> int:
        return rng.choice(self.staff[agency_id])


@functools.lru_cache(maxsize=50_000)
def _key(name: str) -> str:
    return phonetic_key(name)


@functools.lru_cache(maxsize=50_000)
def _word_keys(name: str) -> tuple[tuple[str, str, str], ...]:
    """Each word of a name with its two sound-alike keys, as ``children.search`` indexes it."""
    return tuple((word[:100], phonetic_key(word), second_key(word)) for word in name_words(name))


def name_key_rows(names_known: list[tuple[str, str, bool]]) -> list[tuple[str, bool, str, str, str]]:
    """The child's search index rows (part, alias, word, key, key2) for every name it is known by:
    the same rows ``children.search.name_index_refresh`` writes (``tests/test_bench_data.py``)."""
    unique: dict[tuple[str, bool, str], tuple[str, bool, str, str, str]] = {}
    for first, last, alias in names_known:
        for part, name in ((NameKey.Part.FIRST, first), (NameKey.Part.LAST, last)):
            for word, key, key2 in _word_keys(name):
                unique[(part, alias, word)] = (part, alias, word, key, key2)
    return list(unique.values())


def generate(*, scale: Scale, seed: int, as_of: datetime, progress=None) -> tuple[World, str]:
    """Writes the whole data set; returns what was made and a digest of every row written."""
    digest = hashlib.sha256()
    say = progress or (lambda message: None)
    world = World(scale=scale, as_of=as_of, start=as_of - timedelta(days=365 * YEARS))
    skip_foreign_key_checks()
    rebuild_indexes = without_indexes(LOADED)
    _agencies_and_users(world, seed, digest)
    say(f"{len(world.agencies)} agencies, {sum(len(s) for s in world.staff.values())} users")
    written = _children(world, seed, digest, say)
    written += write_referrals(world, seed, digest)
    say(f"{scale.referrals} referrals")
    written += write_episodes(world, seed, digest)
    say(f"{scale.episodes} missing episodes")
    written += write_screenings(world, seed, digest)
    say("building the indexes")
    rebuild_indexes()
    finish(written + [Agency, User, RoleGrant])
    return world, digest.hexdigest()


def _agency_plan(scale: Scale) -> list[tuple[str, str, str]]:
    plan: list[tuple[str, str, str]] = [
        ("csc", "Family Contact Point (MASH)", AgencyKind.CSC),
        ("police", "Police — CSE and Missing Persons Team", AgencyKind.POLICE),
        ("lscb", "Safeguarding Children Partnership", AgencyKind.LSCB),
    ]
    plan += [(f"school{i}", f"School {i:03d}", AgencyKind.SCHOOL) for i in range(scale.schools)]
    small = max(1, scale.schools // 25)
    for kind, label, count in [
        (AgencyKind.HEALTH, "Health Service", small * 2),
        (AgencyKind.RESIDENTIAL, "Children's Home", max(2, scale.schools // 6)),
        (AgencyKind.VOLUNTARY, "Youth Project", small * 2),
        (AgencyKind.EARLY_INTERVENTION, "Early Help Team", small),
        (AgencyKind.YOUTH_OFFENDING, "Youth Offending Team", small),
        (AgencyKind.HOUSING, "Housing Options", small),
        (AgencyKind.LEAVING_CARE, "Leaving Care Team", small),
        (AgencyKind.PROBATION, "Probation Service", 1),
        (AgencyKind.COUNCIL, "Licensing", 1),
    ]:
        plan += [(f"{kind}{i}", f"{label} {i:02d}", kind) for i in range(count)]
    return plan


def _agencies_and_users(world: World, seed: int, digest) -> None:
    rng = random.Random(f"{seed}-users")
    scale = world.scale
    agency_rows = RowWriter(Agency, ["id", "name", "kind", "area", "email", "phone", "is_active"], digest)
    agency_id = next_id(Agency)
    for key, label, kind in _agency_plan(scale):
        world.agencies[key] = agency_id
        world.agency_kind[agency_id] = kind
        world.staff[agency_id] = []
        agency_rows.add((agency_id, f"Bench {label}", kind, "Bench region", "", "", True))
        agency_id += 1
    agency_rows.flush()
    user_fields = ["id", "password", "username", "first_name", "last_name", "email", "is_staff", "is_active",
                   "is_superuser", "date_joined", "agency", "job_title", "phone", "must_change_password"]
    users = RowWriter(User, user_fields, digest)
    grants = RowWriter(RoleGrant, ["id", "user", "role", "granted_at"], digest)
    user_id, grant_id = next_id(User), next_id(RoleGrant)

    def add_user(username: str, agency: int, roles: Sequence[str]) -> None:
        nonlocal user_id, grant_id
        first = (names.GIRL_NAMES if rng.random() < 0.6 else names.BOY_NAMES).draw(rng)
        users.add((user_id, UNUSABLE_PASSWORD, username, first, names.surname(rng), "", False, True, False,
                   world.start, agency, "", "", False))
        for role in roles:
            grants.add((grant_id, user_id, role, world.start))
            grant_id += 1
        world.staff[agency].append(user_id)
        user_id += 1

    for username, key, roles in PERSONAS:
        add_user(username, world.agencies[key], roles)
    # Every agency has a named lead; the rest of the staff are spread by the size of each service.
    ids = list(world.agencies.values())
    for agency in ids:
        add_user(f"bench.{agency}.lead", agency, [Role.NAMED_LEAD, Role.DESIGNATED_LEAD, Role.PRACTITIONER])
    weights = [{"csc": 40, "police": 60}.get(k, 3 if k.startswith("school") else 6) for k in world.agencies]
    remaining = max(0, scale.users - len(PERSONAS) - len(ids))
    for n, agency in enumerate(rng.choices(ids, weights=weights, k=remaining)):
        kind = world.agency_kind[agency]
        roles = [Role.PRACTITIONER]
        if kind == AgencyKind.CSC:
            roles = [Role.CSC_MASH, Role.PRACTITIONER]
        elif kind == AgencyKind.POLICE and n % 5 == 0:
            roles = [Role.POLICE_LEAD, Role.PRACTITIONER]
        add_user(f"bench.user{n:05d}", agency, roles)
    users.flush()
    grants.flush()


ETHNICITIES = ["White British", "White British", "White British", "White other", "Mixed", "Asian British",
               "Black British", "Not known"]
SUMMARIES = {
    ChronologyItem.Kind.OBSERVATION: "Observation recorded: {codes}",
    ChronologyItem.Kind.NOTE: "Note recorded by {agency}",
    ChronologyItem.Kind.SCREENING: "Screening submitted",
    ChronologyItem.Kind.REFERRAL: "Referral sent to children's social care",
    ChronologyItem.Kind.MISSING_EPISODE: "Missing episode reported",
    ChronologyItem.Kind.RETURN_INTERVIEW: "Return interview completed",
    ChronologyItem.Kind.MEETING: "Strategy discussion held",
    ChronologyItem.Kind.RECORD: "Record updated",
}
KINDS = list(SUMMARIES)
KIND_WEIGHTS = [30, 35, 8, 8, 6, 4, 3, 6]


def _children(world: World, seed: int, digest, say) -> list:
    scale = world.scale
    rng = random.Random(f"{seed}-children")
    chrono_rng = random.Random(f"{seed}-chronology")
    first = world.first_child = next_id(Child)
    ids = range(first, first + scale.children)
    heavy = sorted(rng.sample(ids, scale.heavy))
    heavy_counts = {cid: (scale.heavy_max + 7 if n == 0 else rng.randint(scale.heavy_max // 5, scale.heavy_max))
                    for n, cid in enumerate(heavy)}
    world.heavy = sorted(heavy_counts, key=lambda cid: heavy_counts[cid], reverse=True)
    mean = max(0.0, (scale.chronology - sum(heavy_counts.values())) / scale.children)
    log_q = math.log(mean / (mean + 1)) if mean > 0 else None  # geometric with the wanted mean
    planted = _planted_plan(rng, ids, scale.planted)
    schools = [v for k, v in world.agencies.items() if k.startswith("school")]
    others = [v for v in world.agencies.values() if world.agency_kind[v] not in (AgencyKind.SCHOOL, AgencyKind.LSCB)]
    homes = [v for v in others if world.agency_kind[v] == AgencyKind.RESIDENTIAL]
    csc, police = world.agencies["csc"], world.agencies["police"]

    child_fields = ["id", "first_name", "last_name", "preferred_name", "date_of_birth", "gender", "ethnicity",
                    "languages", "disabilities", "local_authority", "looked_after", "placement", "school",
                    "nhs_number", "unique_pupil_number", "police_reference", "lead_agency", "lead_professional",
                    "merged_into", "created_at", "created_by", "updated_at"]
    children = RowWriter(Child, child_fields, digest)
    name_rows = RowWriter(ChildName, ["id", "child", "kind", "first_name", "last_name", "first_key", "last_key"], digest)
    key_rows = RowWriter(NameKey, ["id", "child", "part", "alias", "word", "key", "key2", "born"], digest)
    involvements = RowWriter(Involvement, ["id", "child", "agency", "reason", "since", "added_by"], digest)
    chronology = RowWriter(ChronologyItem, ["id", "child", "occurred_at", "occurred_time_known", "recorded_at",
                                            "kind", "agency", "author", "summary", "source_type", "source_id",
                                            "url", "tags"], digest)
    name_id, involvement_id, item_id = next_id(ChildName), next_id(Involvement), next_id(ChronologyItem)
    key_id = next_id(NameKey)

    for child_id in ids:
        created = world.created_at(child_id)
        gender = rng.choices([Gender.FEMALE, Gender.MALE, Gender.OTHER], weights=[55, 43, 2])[0]
        table = names.BOY_NAMES if gender == Gender.MALE else names.GIRL_NAMES
        first_name, last_name = table.draw(rng), names.surname(rng)
        dob = (created - timedelta(days=rng.randint(8 * 365, 17 * 365))).date()
        aliases = []
        if rng.random() < 0.25:
            aliases.append((table.draw(rng) if rng.random() < 0.3 else first_name,
                            names.surname(rng) if rng.random() < 0.7 else names.misspell(last_name, rng)))
        plant = planted.get(child_id)
        if plant:
            first_name, last_name, aliases = _plant(world, rng, plant, child_id, table, dob, first_name, last_name)
        school = schools[0] if rng.random() < 0.03 else rng.choice(schools)  # one big school
        looked_after = rng.random() < 0.06
        agencies = [school, *(a for a, p in ((csc, 0.4), (police, 0.15)) if rng.random() < p)]
        if looked_after and homes:
            agencies.append(rng.choice(homes))
            world.looked_after.append(child_id)
        if rng.random() < 0.3:
            agencies.append(rng.choice(others))
        agencies = list(dict.fromkeys(agencies))
        children.add((child_id, first_name, last_name, "", dob, gender, rng.choice(ETHNICITIES), "English", "",
                      "Bench region", looked_after, "", f"School {school}", "" if rng.random() < 0.3 else
                      f"{9000000000 + child_id}", "", "", school, None, None, created, None, created))
        for name_kind, (f, la) in [(ChildName.Kind.PRIMARY, (first_name, last_name))] + [
            (ChildName.Kind.ALIAS, alias) for alias in aliases
        ]:
            name_rows.add((name_id, child_id, name_kind, f, la, _key(f), _key(la)))
            name_id += 1
        for row in name_key_rows([(first_name, last_name, False)] + [(f, la, True) for f, la in aliases]):
            key_rows.add((key_id, child_id, *row, dob))
            key_id += 1
        for n, agency in enumerate(agencies):
            reason = Involvement.Reason.LEAD if n == 0 else Involvement.Reason.RECORDED
            involvements.add((involvement_id, child_id, agency, reason, created, None))
            involvement_id += 1
        count = heavy_counts.get(child_id)
        if count is None:
            count = min(300, int(math.log(1 - chrono_rng.random()) / log_q)) if log_q else 0
        for _ in range(count):
            agency = chrono_rng.choice(agencies)
            kind = chrono_rng.choices(KINDS, weights=KIND_WEIGHTS)[0]
            occurred = world.when_after(chrono_rng, created)
            code = f"I{chrono_rng.randint(1, 25)}"
            summary = SUMMARIES[kind].format(codes=code, agency="the agency")
            tags = [code] if kind == ChronologyItem.Kind.OBSERVATION else []  # the indicators seen, as tags
            chronology.add((item_id, child_id, occurred, True, min(world.as_of, occurred + timedelta(hours=2)), kind,
                            agency, world.someone_at(chrono_rng, agency), summary, None, None, "", tags))
            item_id += 1
        if (child_id - first + 1) % 50_000 == 0:
            say(f"{child_id - first + 1} children, {chronology.count} chronology items")
    for writer in (children, name_rows, key_rows, involvements, chronology):
        writer.flush()
    # The vocabulary misspellings are matched against: each indexed word once, as name_index_refresh adds it.
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {NameWord._meta.db_table} (word) SELECT DISTINCT word FROM "  # noqa: S608
                       f"{NameKey._meta.db_table} ORDER BY word ON CONFLICT (word) DO NOTHING")
    say(f"{children.count} children, {name_rows.count} names ({key_rows.count} search keys), "
        f"{involvements.count} involvements, {chronology.count} chronology items")
    return [Child, ChildName, NameKey, NameWord, Involvement, ChronologyItem]


def _planted_plan(rng: random.Random, ids: range, count: int) -> dict[int, str]:
    """Which children are planted and how each will be searched for: spread over the whole id range,
    so new records count as much as old ones."""
    step = max(1, len(ids) // max(1, count))
    chosen = [ids[min(len(ids) - 1, n * step + rng.randrange(step))] for n in range(count)]
    kinds = ["misspelt_with_dob"] * 6 + ["swapped_with_dob", "alias_with_dob", "rare_no_dob", "rare_no_dob"]
    return {cid: kinds[n % len(kinds)] for n, cid in enumerate(chosen)}


def _plant(world: World, rng: random.Random, kind: str, child_id: int, table, dob, first_name, last_name):
    """The planted child's names, and the query for it (a misspelling of what is on record)."""
    aliases: list[tuple[str, str]] = []
    n = len(world.planted)
    if kind == "rare_no_dob":
        first_name = names.RARE_FIRST[n % len(names.RARE_FIRST)]
        last_name = names.RARE_LAST[(n * 7) % len(names.RARE_LAST)]
        query = (names.misspell(first_name, rng), names.misspell(last_name, rng))
    elif kind == "alias_with_dob":
        aliases.append((first_name, names.surname(rng)))
        query = (names.misspell(aliases[0][0], rng, table), names.misspell(aliases[0][1], rng, names.SURNAME_TABLE))
    else:
        query = (names.misspell(first_name, rng, table), names.misspell(last_name, rng, names.SURNAME_TABLE))
        if kind == "swapped_with_dob":
            query = (query[1], query[0])
    world.planted.append({
        "child_id": child_id, "kind": kind, "first_name": query[0], "last_name": query[1],
        "date_of_birth": "" if kind == "rare_no_dob" else dob.isoformat(),
    })
    return first_name, last_name, aliases

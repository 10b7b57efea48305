"""The demo region: the city of Northbridge and the county of Eastmoor (all invented).

One agency of every kind and a login for every role. Every demo login shares DEMO_PASSWORD;
README.md lists them.
"""

from __future__ import annotations

from dataclasses import dataclass

from safeguard.accounts.models import Agency, AgencyKind, Role, User
from safeguard.accounts.services import user_create

DEMO_PASSWORD = "Safeguard-demo-2026"  # noqa: S105 - printed in README for the demo only

AGENCIES = [
    # key, name, kind, area
    ("school", "Northbridge Academy", AgencyKind.SCHOOL, "Northbridge city"),
    ("college", "Eastmoor College", AgencyKind.SCHOOL, "Eastmoor county"),
    ("health", "Northbridge Sexual Health Service", AgencyKind.HEALTH, "Northbridge city"),
    ("police", "Eastmoor Police — CSE Team", AgencyKind.POLICE, "Eastmoor county"),
    ("csc", "Northbridge Family Contact Point (MASH)", AgencyKind.CSC, "Northbridge and Eastmoor"),
    ("residential", "Hillside Children's Home", AgencyKind.RESIDENTIAL, "Northbridge city"),
    ("leaving_care", "Northbridge Leaving Care Team", AgencyKind.LEAVING_CARE, "Northbridge city"),
    ("probation", "Eastmoor Probation Service", AgencyKind.PROBATION, "Eastmoor county"),
    ("voluntary", "Harbour Youth Project", AgencyKind.VOLUNTARY, "Northbridge city"),
    ("early_help", "Northbridge Early Help Service", AgencyKind.EARLY_INTERVENTION, "Northbridge city"),
    ("yot", "Northbridge Youth Offending Team", AgencyKind.YOUTH_OFFENDING, "Northbridge city"),
    ("housing", "Northbridge Housing Options", AgencyKind.HOUSING, "Northbridge city"),
    ("council", "Northbridge Licensing and Leisure", AgencyKind.COUNCIL, "Northbridge city"),
    ("lscb", "Northbridge and Eastmoor Safeguarding Children Partnership", AgencyKind.LSCB, "Both"),
]

USERS = [
    # username, first, last, job title, agency key, roles
    ("teacher", "Tara", "Okafor", "Head of Year 9", "school", [Role.PRACTITIONER]),
    ("schoollead", "Nadia", "Hussain", "Named lead for CSE", "school", [Role.NAMED_LEAD, Role.PRACTITIONER]),
    ("dsl", "Dev", "Sharma", "Designated safeguarding lead", "school", [Role.DESIGNATED_LEAD, Role.PRACTITIONER]),
    ("head", "Sam", "Whitfield", "Headteacher", "school", [Role.SENIOR_MANAGER]),
    ("lecturer", "Leo", "Grant", "Student support officer", "college", [Role.PRACTITIONER]),
    ("nurse", "Nina", "Patel", "Sexual health nurse", "health", [Role.PRACTITIONER]),
    ("healthlead", "Hannah", "Cole", "Named nurse for safeguarding", "health",
     [Role.NAMED_LEAD, Role.DESIGNATED_LEAD, Role.PRACTITIONER]),
    ("police", "Pete", "Marsh", "Detective sergeant, CSE team", "police", [Role.POLICE_LEAD, Role.PRACTITIONER]),
    ("mash", "Maya", "Brooks", "Family Contact Point social worker", "csc", [Role.CSC_MASH, Role.PRACTITIONER]),
    ("csclead", "Carl", "Evans", "Team manager", "csc",
     [Role.CSC_MASH, Role.NAMED_LEAD, Role.SENIOR_MANAGER, Role.PRACTITIONER]),
    ("residential", "Rob", "Lawson", "Residential support worker", "residential", [Role.PRACTITIONER]),
    ("unitmanager", "Uma", "Reid", "Registered manager", "residential",
     [Role.NAMED_LEAD, Role.DESIGNATED_LEAD, Role.PRACTITIONER]),
    ("leavingcare", "Lia", "Moss", "Personal adviser", "leaving_care", [Role.PRACTITIONER]),
    ("probation", "Priya", "Nair", "Probation officer", "probation", [Role.PRACTITIONER]),
    ("youthworker", "Olly", "Price", "Youth worker", "voluntary", [Role.PRACTITIONER]),
    ("earlyhelp", "Erin", "Doyle", "Family support worker", "early_help", [Role.PRACTITIONER]),
    ("yot", "Yusuf", "Ali", "Youth justice worker", "yot", [Role.PRACTITIONER]),
    ("housing", "Holly", "Burns", "Housing options officer", "housing", [Role.PRACTITIONER]),
    ("licensing", "Kit", "Lowe", "Licensing officer", "council", [Role.PRACTITIONER]),
    ("panelchair", "Paula", "Fenwick", "Risk panel chair", "csc", [Role.MARP_CHAIR]),
    ("panelmember", "Mark", "Osei", "Risk panel member", "police", [Role.MARP_MEMBER]),
    ("analyst", "Ann", "Lyons", "Partnership analyst", "lscb", [Role.LSCB_ANALYST]),
    ("admin", "Adam", "Kerr", "System administrator", "lscb", [Role.ADMINISTRATOR]),
]


@dataclass
class Region:
    agencies: dict[str, Agency]
    users: dict[str, User]


def build_region() -> Region:
    agencies = {
        key: Agency.objects.create(name=name, kind=kind, area=area, email=f"{key}@example.org")
        for key, name, kind, area in AGENCIES
    }
    users = {}
    for username, first, last, title, agency_key, roles in USERS:
        users[username] = user_create(
            username=username, password=DEMO_PASSWORD, agency=agencies[agency_key], roles=list(roles),
            first_name=first, last_name=last, email=f"{username}@example.org", job_title=title,
            is_staff=Role.ADMINISTRATOR in roles,
        )
    return Region(agencies=agencies, users=users)

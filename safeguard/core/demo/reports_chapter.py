"""Chapter 6: training records, contact details for "who to call", the resources directory and a
break-glass opening for a named lead's dashboard (handbook §1, §11, §18).

Through the services, as the named leads and the administrator would record them:

* Training: the school's, the home's and the health service's named leads have recorded their
  staff's CSE courses — most in date, the headteacher's awareness course out of date (four years
  ago, refresh after three), the unit manager's multi-agency course due within weeks, the teacher's
  one-day course not recorded. Teams make coverage readable by team.
* Contact details: each named lead and designated lead keeps a phone number and hours, listed on
  "who to call".
* Resources (§18): national services, practice guidance and materials for children and families,
  in the product's own words.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from safeguard.guidance.services import ContactData, ResourceData, contact_details_save, resource_save
from safeguard.reports.services import TrainingData, training_record_save

# username: (recorded by, team, awareness days ago, multi-agency days ago)
TRAINING = {
    "teacher": ("schoollead", "Year 9", 200, None),
    "schoollead": ("schoollead", "Safeguarding team", 400, 380),
    "dsl": ("schoollead", "Safeguarding team", 150, 140),
    "head": ("schoollead", "Leadership", 4 * 365, None),
    "nurse": ("healthlead", "Sexual health clinic", 90, None),
    "healthlead": ("healthlead", "Safeguarding team", 500, 480),
    "residential": ("unitmanager", "Day staff", 60, None),
    "unitmanager": ("unitmanager", "Management", 300, 3 * 365 - 30),
    "mash": ("csclead", "Family Contact Point", 250, 240),
    "csclead": ("csclead", "Family Contact Point", 700, 690),
}

CONTACTS = {
    "schoollead": ("01632 960101", "Weekdays 8am to 4.30pm; out of term, ring the school office"),
    "dsl": ("01632 960102", "Weekdays in term time"),
    "healthlead": ("01632 960201", "Monday to Friday, 9am to 5pm"),
    "unitmanager": ("01632 960301", "Any time: the home's office is staffed around the clock"),
    "csclead": ("01632 960401", "Weekdays; out of hours call the emergency duty team"),
}

RESOURCES = [
    ("CEOP Safety Centre", "national", "The police's online child protection command: report online grooming "
     "and find training and materials for professionals and for children.", "https://www.ceop.police.uk", ""),
    ("NSPCC helpline", "national", "Advice for any adult worried about a child, and information on running "
     "away, sexual abuse and harmful sexual behaviour.", "https://www.nspcc.org.uk", "0808 800 5000"),
    ("Childline", "young_people", "Free, confidential help for children and young people, by phone or online.",
     "https://www.childline.org.uk", "0800 1111"),
    ("National Working Group network", "guidance", "A UK network of practitioners and researchers working with "
     "children affected by sexual exploitation: practice guidance and support.", "https://www.nwgnetwork.org", ""),
    ("Stop It Now", "national", "Confidential helpline and leaflets on preventing sexual abuse, including how "
     "technology is used to groom children.", "https://www.stopitnow.org.uk", "0808 1000 900"),
    ("Partnership training programme", "local", "The partnership's online awareness course for everyone who "
     "meets children at work, and the one-day multi-agency course (§1).", "", "01632 960000"),
    ("Support for parents and carers", "young_people", "Information and support for families of children who are "
     "being, or may be, sexually exploited.", "https://paceuk.info", ""),
]


def build(region) -> None:
    today = timezone.localdate()
    for username, (recorder, team, awareness, multi) in TRAINING.items():
        training_record_save(
            actor=region.users[recorder], staff=region.users[username], version=0,
            data=TrainingData(team=team,
                              awareness_completed_on=today - timedelta(days=awareness) if awareness else None,
                              multi_agency_completed_on=today - timedelta(days=multi) if multi else None),
        )
    for username, (phone, availability) in CONTACTS.items():
        contact_details_save(user=region.users[username], version=0,
                             data=ContactData(phone=phone, email=f"{username}@example.org", availability=availability))
    for name, category, description, website, phone in RESOURCES:
        resource_save(actor=region.users["admin"], data=ResourceData(
            name=name, category=category, description=description, website=website, phone=phone, is_active=True))

"""Chapter 5: records that have reached the end of their retention period (docs/records.md).

* Danielle Price, now 27, was a pupil at Northbridge Academy when the school recorded a concern
  about her eleven years ago. A school's child-protection file is kept until the child is 25, so her
  record is on Nadia Hussain's (``schoollead``) retention review list, due now: sign the decision,
  then dispose of it.
* Jodie Smyth's mother asked for everything held about her: the request is in review, with the
  name of an adult in one observation withheld.
* Ryan Cole, now 26, is also past his period, but the council's solicitors asked for his file to
  be kept for a civil claim: Nadia placed a legal hold, so it cannot be disposed of.

Every child's retention schedule is worked out at the end, as ``safeguard tick`` would.
"""

from __future__ import annotations

from safeguard.children.models import Child
from safeguard.records.services import (
    legal_hold_place,
    retention_schedule_refresh,
    subject_access_open,
    subject_access_redact,
)

from .stories import Cast, _child, _observe, as_user, born


def build(region, cast: Cast) -> None:
    danielle = _child(region, "teacher", "Danielle", "Price", date_of_birth=born(27, 2), gender="female",
                      school="Northbridge Academy")
    _observe(region, "teacher", danielle, ["I5", "I8"], 4000,
             "Danielle has a new phone and expensive clothes; she would not say where they came from.")
    ryan = _child(region, "teacher", "Ryan", "Cole", date_of_birth=born(26, 5), gender="male",
                  school="Northbridge Academy")
    _observe(region, "teacher", ryan, ["I12"], 3700, "Ryan was seen getting into a car with two older men.")
    legal_hold_place(access=as_user(region, "schoollead", ryan),
                     reason="Civil claim against the school: the council's solicitors asked for the file to be kept")
    cast.children.update({"danielle": danielle, "ryan": ryan})
    # Jodie's mother asked for everything held about her: the request is in review, one item withheld.
    jodie = cast.children["jodie"]
    request = subject_access_open(access=as_user(region, "schoollead", jodie))
    observation = jodie.observations.exclude(people="").first()
    if observation is not None:
        subject_access_redact(access=as_user(region, "schoollead", jodie), request_id=request.pk, version=request.version,
                              item=f"children.observation:{observation.pk}:people",
                              reason="Names an adult who has not been told of the request")
    for child in Child.objects.filter(merged_into__isnull=True):
        retention_schedule_refresh(child=child)

"""Local-policy thresholds: what the handbook leaves to the partnership, with documented defaults.

Each field's metadata carries its description and the handbook section it serves; ``docs.py``
prints them into ``docs/rules.md``. The Django project builds a :class:`Params` from the settings
dict ``SAFEGUARD_RULES`` (keys are the field names; missing keys take the defaults).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any


def _p(default: int, doc: str, section: str, *, minimum: int = 1) -> Any:
    return field(default=default, metadata={"doc": doc, "section": section, "minimum": minimum})


@dataclass(frozen=True)
class Params:
    """Thresholds for the rules. All whole numbers; see each field's ``doc``."""

    screening_review_days: int = _p(
        28, "Days until an `emerging` screening is reviewed (design decision).", "16"
    )
    under16_partner_adult_age: int = _p(
        18,
        "For a child under 16, a partner of this age or over is a considerable age difference "
        "(design decision from the examples 13 + 17 and 15 + 21).",
        "9.2",
    )
    under16_age_gap_years: int = _p(
        4,
        "For a child under 16, a partner this many years older or more is a considerable age "
        "difference (design decision).",
        "9.2",
    )
    over16_age_gap_years: int = _p(
        10,
        "For a child of 16 or 17, a partner this many years older or more is a considerable age "
        "difference (design decision from the example 17 + 33).",
        "9.2",
    )
    return_interview_due_hours: int = _p(
        72,
        "Hours after return by which a return interview is due (design decision; national "
        "statutory guidance).",
        "14.1",
    )
    rmg_period_days: int = _p(
        90, "Days of missing episodes the Risk Management Group review list covers (design decision).", "14"
    )
    rmg_flag_episodes: int = _p(
        3, "Episodes within the review period that flag a child on the review list (design decision).", "14"
    )
    hot_spot_children: int = _p(
        3, "Different children linked to one place within the period that make it a hot spot.", "15"
    )
    hot_spot_days: int = _p(90, "Days over which hot-spot links are counted.", "15")
    shared_entity_children: int = _p(
        2, "Different children linked to one person, vehicle, phone, account or place that raise an alert.", "13"
    )
    persons_per_child: int = _p(
        2, "Persons of concern linked to one child that raise an alert (more than one perpetrator).", "10.1.4"
    )
    network_children: int = _p(
        3, "Children in one connected network that list it for the risk panel.", "11.2"
    )
    small_count_threshold: int = _p(
        5,
        "Counts below this are suppressed in reports to the safeguarding board so that no child "
        "can be identified (design decision).",
        "15",
    )
    referral_timescale_red_days: int = _p(
        0, "Working days within which a red (urgent) referral is acted on (design decision).", "12", minimum=0
    )
    referral_timescale_amber_days: int = _p(
        1, "Working days within which an amber referral is acted on (design decision).", "12", minimum=0
    )
    referral_timescale_green_days: int = _p(
        3, "Working days within which a green referral is acted on (design decision).", "12", minimum=0
    )

    def __post_init__(self) -> None:
        for spec in fields(self):
            value = getattr(self, spec.name)
            minimum = spec.metadata["minimum"]
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"rules setting {spec.name} must be a whole number, not {value!r}")
            if value < minimum:
                kind = "a positive whole number" if minimum == 1 else f"a whole number of at least {minimum}"
                raise ValueError(f"rules setting {spec.name} must be {kind}, not {value!r}")
        red, amber, green = (
            self.referral_timescale_red_days,
            self.referral_timescale_amber_days,
            self.referral_timescale_green_days,
        )
        if not red <= amber <= green:
            raise ValueError(
                "rules settings referral_timescale_red_days <= referral_timescale_amber_days "
                f"<= referral_timescale_green_days must hold, not {red}, {amber}, {green}"
            )

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any] | None) -> Params:
        """Params from a settings dict; missing keys take defaults, unknown keys are an error."""
        mapping = dict(mapping or {})
        known = {spec.name for spec in fields(cls)}
        unknown = sorted(set(mapping) - known)
        if unknown:
            raise ValueError(
                f"unknown rules setting(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        return cls(**mapping)

    @classmethod
    def described(cls) -> list[tuple[str, int, str, str]]:
        """(name, default, description, section) for every field, in declaration order."""
        return [
            (spec.name, int(spec.default), spec.metadata["doc"], spec.metadata["section"])  # type: ignore[arg-type]
            for spec in fields(cls)
        ]

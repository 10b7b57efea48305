"""Recording wording the writer chose to keep (§8)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record

if TYPE_CHECKING:
    from safeguard.accounts.models import User


def language_flags_kept_record(
    *, actor: User, target: Any, child_id: int | None, kept: Mapping[str, Sequence[str]]
) -> None:
    """One LANGUAGE_FLAG_KEPT event per field whose flags were kept. Call inside the save's transaction."""
    for field_name, codes in kept.items():
        if codes:
            audit_record(
                verb=Verb.LANGUAGE_FLAG_KEPT,
                actor=actor,
                target=target,
                child_id=child_id,
                payload={"field": field_name, "codes": list(codes)},
            )

"""Authorization-matrix rows for guidance: pages, the resources directory (administrators edit),
who to call and one's own contact details (everyone signed in; no child data)."""

from tests.matrix import SIGNED_IN_200, Expect, Row, who


def resource(ctx):
    from django.utils import timezone

    from safeguard.guidance.models import Resource

    entry = Resource.objects.create(name="NSPCC", category="national", description="Advice line",
                                    updated_by=ctx["personas"].admin, updated_at=timezone.now())
    return {"resource_id": entry.pk}


ROWS = {
    "guidance:index": Row(get=SIGNED_IN_200),
    "guidance:page": Row(kwargs=lambda ctx: {"slug": "signs"}, get=SIGNED_IN_200),
    "guidance:resources": Row(get=SIGNED_IN_200),
    # An empty form comes back with its errors (200) for an administrator.
    "guidance:resource_add": Row(get=who(200, {"admin"}, 404), post=who(200, {"admin"}, 404)),
    "guidance:resource_edit": Row(kwargs=resource, get=who(200, {"admin"}, 404), post=who(200, {"admin"}, 404)),
    "guidance:who_to_call": Row(get=SIGNED_IN_200),
    "guidance:my_contact_details": Row(get=SIGNED_IN_200, post=SIGNED_IN_200),
}

__all__ = ["ROWS", "Expect"]

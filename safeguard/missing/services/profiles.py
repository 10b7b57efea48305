"""The profile carers keep for the police (Philomena-style; missing.md): keeping it current with a
checked photo, what it prints, and sending it to the police inbox."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from safeguard.access.policy import ChildAccess
from safeguard.accounts.models import Agency
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.children.chronology import writer_involvement_ensure
from safeguard.children.models import Child
from safeguard.platform.images import image_problem, image_without_metadata
from safeguard.platform.versioning import version_bump, version_check

from ..models import Episode, PoliceSubmission, Profile, ProfilePhoto
from ._common import _clean, _local, _name
from .police import _child_rows, _episode_rows, _police_recipient, _submission_create

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def photo_type(head: bytes) -> str | None:
    """The photo's type from its first bytes (not its name or the browser's word): JPEG or PNG."""
    if head.startswith(JPEG_MAGIC):
        return "image/jpeg"
    if head.startswith(PNG_MAGIC):
        return "image/png"
    return None


def photo_problem(*, size: int, head: bytes) -> str | None:
    """What is wrong with an uploaded photo, in plain words, or None."""
    limit_mb = getattr(settings, "SAFEGUARD_PROFILE_PHOTO_MAX_MB", 5)
    if size > limit_mb * 1024 * 1024:
        return f"The photo must be smaller than {limit_mb} MB"
    if size == 0:
        return "The photo is empty"
    if photo_type(head) is None:
        return "The photo must be a JPG or PNG"
    return None


@dataclass(frozen=True)
class ProfileData:
    description: str = ""
    phones: str = ""
    associates: str = ""
    places: str = ""
    vehicles: str = ""
    other_information: str = ""


NO_PROFILE = "No profile has been kept for this child, so there is nothing to send: start the profile first"

PROFILE_FIELDS = ("description", "phones", "associates", "places", "vehicles", "other_information")


def _photo_store(*, child: Child, actor, photo, now) -> ProfilePhoto:
    """Check an uploaded photo (size, JPG or PNG by content, pixels) and keep it without its metadata."""
    content = photo.read()
    problem = photo_problem(size=len(content), head=content[:8]) or image_problem(content)
    if problem:
        raise ValidationError({"photo": problem})
    try:
        content, content_type = image_without_metadata(content)  # no EXIF/GPS kept (issue 11 item 16)
    except ValueError as error:
        raise ValidationError({"photo": str(error)}) from None
    stored = f"{uuid.uuid4().hex}.{'jpg' if content_type == 'image/jpeg' else 'png'}"
    record = ProfilePhoto(
        child=child, stored_name=stored, content_type=content_type, size=len(content),
        uploaded_by=actor, uploaded_at=now,
    )
    record.file.save(stored, ContentFile(content), save=False)
    record.save()
    return record


@transaction.atomic
def profile_photo_add(*, access: ChildAccess, photo) -> Profile:
    """A new photo for the child's profile, its text left as it is (the API's upload; issue 10). The
    same checks as the page's; a profile not yet kept is started with the photo alone."""
    access.require_change()
    child, actor = access.child, access.actor
    now = timezone.now()
    profile = Profile.objects.select_for_update().filter(child=child).first()
    if profile is None:
        profile = Profile(child=child, updated_by=actor, updated_at=now)
    profile.photo = _photo_store(child=child, actor=actor, photo=photo, now=now)
    profile.updated_by, profile.updated_at = actor, now
    profile.save()
    writer_involvement_ensure(access)
    audit_record(verb=Verb.PROFILE_UPDATED, actor=actor, target=profile, child_id=child.pk,
                 payload={"fields": ["photo"]})
    return profile


@transaction.atomic
def profile_update(*, access: ChildAccess, data: ProfileData, photo=None, version: int | None = None) -> Profile:
    """Keep the child's profile current. A new photo is checked by size and content and kept beside
    the old ones (a profile already sent still shows the photo it had). ``version`` is the one the
    edit was opened at (none for a first profile): a profile saved since raises ``StaleEdit``."""
    access.require_change()
    child, actor = access.child, access.actor
    now = timezone.now()
    profile = Profile.objects.select_for_update().filter(child=child).first()
    if profile is None:
        profile = Profile(child=child, updated_by=actor, updated_at=now)
    else:
        version_check(profile, version, label="profile")
        version_bump(profile)
    changed = [name for name in PROFILE_FIELDS if getattr(profile, name) != _clean(getattr(data, name))]
    for name in PROFILE_FIELDS:
        setattr(profile, name, _clean(getattr(data, name)))
    if photo is not None:
        profile.photo = _photo_store(child=child, actor=actor, photo=photo, now=now)
        changed.append("photo")
    profile.updated_by = actor
    profile.updated_at = now
    profile.save()
    # No chronology item for a profile edit (it is not an event in the child's life), so not
    # record_on_file; the agency joins the circle as record_on_file would, never under break glass.
    writer_involvement_ensure(access)
    audit_record(
        verb=Verb.PROFILE_UPDATED, actor=actor, target=profile, child_id=child.pk, payload={"fields": sorted(changed)}
    )
    return profile


def _profile_snapshot(child: Child, profile: Profile | None, episode: Episode | None) -> dict:
    sections = [{"heading": "The child", "rows": _child_rows(child)}]
    if episode is not None:
        sections.append({"heading": "Missing now", "rows": _episode_rows(episode)})
    if profile is not None:
        sections.append(
            {
                "heading": f"Profile, last updated {_local(profile.updated_at)} by {_name(profile.updated_by)}",
                "rows": [
                    ["Description", profile.description],
                    ["Phones", profile.phones],
                    ["Associates", profile.associates],
                    ["Places they go", profile.places],
                    ["Vehicles seen", profile.vehicles],
                    ["Other information", profile.other_information],
                ],
            }
        )
    else:
        sections.append({"heading": "Profile", "rows": [["Profile", "No profile has been kept for this child"]]})
    return {
        "title": "Profile of a missing child",
        "sections": sections,
        "photo_id": profile.photo_id if profile is not None else None,
    }


def profile_snapshot(child: Child, episode: Episode | None = None) -> dict:
    """What the profile page prints and what a sending keeps: the child, the episode, the profile."""
    profile = Profile.objects.select_related("updated_by").filter(child=child).first()
    return _profile_snapshot(child, profile, episode)


@transaction.atomic
def profile_send_to_police(
    *, access: ChildAccess, episode: Episode | None = None, recipient_agency: Agency | None = None
) -> PoliceSubmission:
    """Send the profile (with the open episode, if any) to the police inbox in one step. With no
    profile kept there is nothing to send: refused (code ``no_profile``), never a hollow sending."""
    access.require_change()
    child = access.child
    if not Profile.objects.filter(child=child).exists():
        raise ValidationError({"send_profile": ValidationError(NO_PROFILE, code="no_profile")})
    agency = _police_recipient(recipient_agency)
    if episode is None:
        episode = Episode.objects.filter(child=child, returned_at__isnull=True).order_by("-last_seen_at").first()
    if episode is not None:
        episode = Episode.objects.select_related("agency", "reported_by").get(pk=episode.pk, child=child)
    return _submission_create(
        access=access, kind=PoliceSubmission.Kind.PROFILE, snapshot=profile_snapshot(child, episode),
        recipient_agency=agency, episode=episode,
    )

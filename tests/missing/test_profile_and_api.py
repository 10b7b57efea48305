"""The profile for the police (photo checks, access-checked serving, one-step sending) and the API."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from safeguard.audit.models import AuditEvent, Verb
from safeguard.missing.models import Episode, PoliceSubmission, Profile, ProfilePhoto, ReturnInterview
from tests.trust.test_photos import jpeg_with_exif

from .builders import JPEG_HEAD, PNG_BYTES, png_upload, report, returned
from .conftest import at

PROFILE = {
    "description": "5ft 4, slim, long dark hair, small scar above left eyebrow",
    "phones": "07700 900456",
    "associates": "Taz (adult male, 20s)",
    "places": "Mill Street takeaway",
    "vehicles": "Silver Astra KX12 ABC",
    "other_information": "",
}


def test_profile_with_photo_is_served_only_through_the_checked_view(personas, cared_for, client_for):
    client = client_for(personas.residential_worker)
    url = reverse("missing:profile_edit", args=[cared_for.pk])
    response = client.post(url, {**PROFILE, "photo": png_upload("kayleigh-brown.png")})
    assert response.status_code == 302, response.content.decode()
    profile = Profile.objects.get(child=cared_for)
    photo = profile.photo
    assert photo.content_type == "image/png" and "kayleigh" not in photo.file.name
    assert photo.file.path.startswith(str(settings.MEDIA_ROOT))
    assert AuditEvent.objects.filter(verb=Verb.PROFILE_UPDATED, child_id=cared_for.pk).exists()

    photo_url = reverse("missing:profile_photo", args=[cared_for.pk, photo.pk])
    served = client.get(photo_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    served_image = Image.open(io.BytesIO(b"".join(served.streaming_content)))  # written again without metadata
    assert list(served_image.getdata()) == list(Image.open(io.BytesIO(PNG_BYTES)).getdata())
    assert client.get(f"/media/{photo.file.name}").status_code == 404  # never public media
    outsider = client_for(personas.outsider)
    assert outsider.get(photo_url).status_code == 404
    page = client_for(personas.residential_worker).get(reverse("missing:profile", args=[cared_for.pk])).content.decode()
    assert "small scar above left eyebrow" in page and photo_url in page

    pdf = client.get(reverse("missing:profile_pdf", args=[cared_for.pk]))
    assert pdf.content.startswith(b"%PDF") and b"/Subtype /Image" in pdf.content


def test_photo_is_checked_by_size_and_content(personas, cared_for, client_for, settings):
    client = client_for(personas.residential_worker)
    url = reverse("missing:profile_edit", args=[cared_for.pk])
    gif = SimpleUploadedFile("photo.png", b"GIF89a" + b"\x00" * 50, content_type="image/png")
    page = client.post(url, {**PROFILE, "photo": gif}).content.decode()
    assert "The photo must be a JPG or PNG" in page and "small scar above left eyebrow" in page
    big = SimpleUploadedFile("photo.jpg", JPEG_HEAD + b"\x00" * (5 * 1024 * 1024), content_type="image/jpeg")
    page = client.post(url, {**PROFILE, "photo": big}).content.decode()
    assert "The photo must be smaller than 5 MB" in page
    assert not Profile.objects.exists() and not ProfilePhoto.objects.exists()
    not_a_picture = SimpleUploadedFile("photo.jpg", JPEG_HEAD, content_type="image/jpeg")
    page = client.post(url, {**PROFILE, "photo": not_a_picture}).content.decode()
    assert "The photo could not be read" in page
    small_jpeg = SimpleUploadedFile("photo.jpg", jpeg_with_exif(), content_type="application/octet-stream")
    assert client.post(url, {**PROFILE, "photo": small_jpeg}).status_code == 302
    assert ProfilePhoto.objects.get().content_type == "image/jpeg"


def test_report_sends_the_profile_to_the_police_in_one_step(personas, cared_for, client_for, clock):
    clock(at(3, 18))
    client = client_for(personas.residential_worker)
    client.post(reverse("missing:profile_edit", args=[cared_for.pk]), {**PROFILE, "photo": png_upload()})
    response = client.post(reverse("missing:report", args=[cared_for.pk]), {
        "missing_from": "care", "classification": "missing", "last_seen_on_day": "3", "last_seen_on_month": "3",
        "last_seen_on_year": "2025", "last_seen_time": "17:00", "reported_to_police": "no", "send_profile": "on",
    })
    assert response.status_code == 302
    submission = PoliceSubmission.objects.get()
    assert submission.kind == "profile" and submission.episode == Episode.objects.get()
    assert submission.snapshot["photo_id"] == Profile.objects.get().photo_id
    police = client_for(personas.police_lead)
    item = police.get(reverse("missing:police_submission", args=[submission.pk])).content.decode()
    assert "Profile of a missing child" in item and "small scar above left eyebrow" in item
    assert "3 March 2025, 17:00" in item
    # An updated profile does not change what was sent.
    client = client_for(personas.residential_worker)
    client.post(reverse("missing:profile_edit", args=[cared_for.pk]), {**PROFILE, "description": "Now has short hair"})
    submission.refresh_from_db()
    assert "small scar" in str(submission.snapshot)


def test_api_report_return_outcome_and_police(personas, cared_for, client_for, clock):
    clock(at(3, 18))
    client = client_for(personas.residential_worker)
    response = client.post(reverse("api:missing-episodes"), {
        "child": cared_for.pk, "missing_from": "care", "last_seen_at": "2025-03-03T17:00:00+00:00",
        "circumstances": "Left after a phone call",
    }, content_type="application/json")
    assert response.status_code == 201, response.json()
    episode_id = response.json()["id"]
    assert response.json()["classification_history"][0]["to"] == "missing"

    clock(at(4, 23, 30))
    client = client_for(personas.residential_worker)
    body = {"returned_at": "2025-03-04T23:00:00+00:00", "harmed": False, "criminal_activity": False,
            "risky_contact": False, "mental_health_or_ld": False}
    response = client.post(reverse("api:missing-episode-return", args=[episode_id]), body,
                           content_type="application/json")
    assert response.status_code == 201, response.json()
    interview = response.json()
    assert interview["requirement"] == "required" and interview["priority_reasons"] == ["over_24_hours"]
    assert interview["due_at"].startswith("2025-03-07T23:00:00")
    again = client.post(reverse("api:missing-episode-return", args=[episode_id]), body, content_type="application/json")
    assert again.status_code == 400

    outcome_url = reverse("api:missing-interview-outcome", args=[interview["id"]])
    completed = {"outcome": "completed", "conducted_at": "2025-03-04T23:15:00+00:00", "child_account": "Talked"}
    refused = client.post(outcome_url, completed, content_type="application/json")
    assert refused.status_code == 400 and "independent" in str(refused.json())
    mash = client_for(personas.mash_worker)
    done = mash.post(outcome_url, completed, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "completed"
    sent = mash.post(reverse("api:missing-interview-police", args=[interview["id"]]), content_type="application/json")
    assert sent.status_code == 201 and sent.json()["sent_to_police"][0]["kind"] == "interview_form"
    listing = mash.get(reverse("api:missing-interviews"), {"status": "completed"}).json()
    assert [i["id"] for i in listing["results"]] == [interview["id"]]
    assert ReturnInterview.objects.get().status == "completed"


def test_api_profile_and_language_check(personas, cared_for, client_for, clock):
    clock(at(3, 18))
    client = client_for(personas.residential_worker)
    url = reverse("api:missing-profile", args=[cared_for.pk])
    assert client.get(url).status_code == 404
    assert client.put(url, PROFILE, content_type="application/json").status_code == 200
    assert client.get(url).json()["description"].startswith("5ft 4")
    assert client_for(personas.outsider).get(url).status_code == 404
    episode = report(personas.residential_worker, cared_for, hours_ago=3)
    returned(personas.residential_worker, episode, after_hours=1)
    client = client_for(personas.residential_worker)
    flagged = client.post(reverse("api:missing-episodes"), {
        "child": cared_for.pk, "missing_from": "care", "last_seen_at": "2025-03-03T17:30:00+00:00",
        "circumstances": "She was promiscuous and chose to go",
    }, content_type="application/json")
    assert flagged.status_code == 400 and "keep_wording" in flagged.json()


def test_sending_the_profile_is_refused_when_none_is_kept(personas, cared_for, client_for, clock):
    """Issue 10 item 5: with no profile, "Send to the police" sends nothing and links to starting one."""
    clock(at(3, 18))
    client = client_for(personas.residential_worker)
    page = client.get(reverse("missing:profile", args=[cared_for.pk])).content.decode()
    assert "Send to the police" not in page and "Start the profile before it can be sent" in page
    response = client.post(reverse("missing:profile_send", args=[cared_for.pk]), follow=True)
    assert not PoliceSubmission.objects.exists()
    page = response.content.decode()
    assert "has been sent" not in page and "No profile has been kept for this child" in page
    assert f'href="{reverse("missing:profile_edit", args=[cared_for.pk])}">Start the profile</a>' in page
    # The same refusal when a report asks for the profile to go with it: the report is kept on the page.
    response = client.post(reverse("missing:report", args=[cared_for.pk]), {
        "missing_from": "care", "classification": "missing", "last_seen_on_day": "3", "last_seen_on_month": "3",
        "last_seen_on_year": "2025", "last_seen_time": "17:00", "reported_to_police": "no", "send_profile": "on",
        "circumstances": "Left after tea",
    })
    assert response.status_code == 200
    assert "No profile has been kept for this child" in response.content.decode()
    assert "Left after tea" in response.content.decode()
    assert not Episode.objects.exists() and not PoliceSubmission.objects.exists()
    # Once a profile is kept, it is sent.
    client.post(reverse("missing:profile_edit", args=[cared_for.pk]), PROFILE)
    client.post(reverse("missing:profile_send", args=[cared_for.pk]))
    assert PoliceSubmission.objects.get().kind == "profile"


def test_the_api_uploads_a_profile_photo_with_the_pages_checks(personas, cared_for, client_for, clock):
    """Issue 10: the API can upload the profile photo; size, type and pixel checks as on the page."""
    clock(at(3, 18))
    client = client_for(personas.residential_worker)
    client.put(reverse("api:missing-profile", args=[cared_for.pk]), PROFILE, content_type="application/json")
    url = reverse("api:missing-profile-photo", args=[cared_for.pk])
    gif = SimpleUploadedFile("photo.png", b"GIF89a" + b"\x00" * 50, content_type="image/png")
    refused = client.post(url, {"photo": gif})
    assert refused.status_code == 400 and "The photo must be a JPG or PNG" in str(refused.json())
    not_a_picture = SimpleUploadedFile("photo.jpg", JPEG_HEAD, content_type="image/jpeg")
    assert "The photo could not be read" in str(client.post(url, {"photo": not_a_picture}).json())
    assert not ProfilePhoto.objects.exists()
    response = client.post(url, {"photo": SimpleUploadedFile("me.jpg", jpeg_with_exif(), content_type="image/jpeg")})
    assert response.status_code == 201, response.content
    photo = ProfilePhoto.objects.get()
    assert response.json()["photo_url"] == reverse("missing:profile_photo", args=[cared_for.pk, photo.pk])
    assert response.json()["description"] == PROFILE["description"]  # the text is left as it was
    assert b"Exif" not in photo.file.read()
    event = AuditEvent.objects.filter(verb=Verb.PROFILE_UPDATED, child_id=cared_for.pk).latest("id")
    assert event.payload == {"fields": ["photo"]}
    assert client_for(personas.outsider).post(url, {"photo": gif}).status_code == 404


def test_api_corrects_a_return_with_its_reason_and_refuses_a_stale_correction(personas, cared_for, client_for,
                                                                              clock):
    """Issue 10: the return correction the pages offer, on the API too: a detail not sent stays as
    recorded; the interview not yet held is worked out again; someone else's correction since is 409."""
    clock(at(3, 18))
    client = client_for(personas.residential_worker)
    episode_id = client.post(reverse("api:missing-episodes"), {
        "child": cared_for.pk, "missing_from": "care", "last_seen_at": "2025-03-03T17:00:00+00:00",
    }, content_type="application/json").json()["id"]
    clock(at(4, 23, 30))
    client = client_for(personas.residential_worker)
    client.post(reverse("api:missing-episode-return", args=[episode_id]), {
        "returned_at": "2025-03-04T23:00:00+00:00", "harmed": False, "criminal_activity": False,
        "risky_contact": False, "mental_health_or_ld": False, "found_where": "Bus station",
    }, content_type="application/json")
    url = reverse("api:missing-episode-return-correct", args=[episode_id])

    unchanged = client.post(url, {"reason": "Checked", "seen_corrections": 0}, content_type="application/json")
    assert unchanged.status_code == 400 and "Nothing has changed" in str(unchanged.json())
    flagged = client.post(url, {"reason": "She was streetwise about it", "seen_corrections": 0,
                                "returned_at": "2025-03-04T14:00:00+00:00"}, content_type="application/json")
    assert flagged.status_code == 400 and "reason" in flagged.json()

    corrected = client.post(url, {"returned_at": "2025-03-04T14:00:00+00:00", "reason": "The police log shows 14:00",
                                  "seen_corrections": 0}, content_type="application/json")
    assert corrected.status_code == 201, corrected.json()
    assert set(corrected.json()["changes"]) == {"returned_at"}
    episode = client.get(reverse("api:missing-episode", args=[episode_id])).json()
    assert episode["found_where"] == "Bus station" and episode["returned_at"].startswith("2025-03-04T14:00")
    assert [c["reason"] for c in episode["return_corrections"]] == ["The police log shows 14:00"]
    assert episode["interview"]["due_at"].startswith("2025-03-07T14:00")  # 72 hours from the corrected return

    stale = client.post(url, {"found_where": "Library", "reason": "Wrong place", "seen_corrections": 0},
                        content_type="application/json")
    assert stale.status_code == 409
    assert client_for(personas.outsider).post(url, {"reason": "x", "seen_corrections": 1},
                                              content_type="application/json").status_code == 404

"""Issue 11 item 16: photos are checked by pixel size before decoding, and stored without metadata."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from safeguard.missing.models import ProfilePhoto
from tests.factories import child as make_child

pytestmark = pytest.mark.django_db

PROFILE = {"description": "Slim, long dark hair", "phones": "", "associates": "", "places": "", "vehicles": "",
           "other_information": ""}


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def huge_png_header(side: int = 30000) -> bytes:
    """A valid PNG header claiming side × side pixels: a few dozen bytes, gigabytes once decoded."""
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + _chunk(b"IEND", b""))


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x9003] = "2026:03:01 22:14:00"  # when it was taken
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}  # where: GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def cared_for(personas):
    return make_child(first_name="Kayleigh", involved=[personas.residential], lead=personas.residential)


def test_a_30000_pixel_png_is_refused_before_it_is_decoded(personas, cared_for, client_for):
    client = client_for(personas.residential_worker)
    upload = SimpleUploadedFile("photo.png", huge_png_header(), content_type="image/png")
    response = client.post(reverse("missing:profile_edit", args=[cared_for.pk]), {**PROFILE, "photo": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The photo must be at most 6000 × 6000 pixels" in page and "Slim, long dark hair" in page
    assert not ProfilePhoto.objects.exists()


def test_exif_and_gps_are_stripped_from_a_stored_photo(personas, cared_for, client_for):
    original = jpeg_with_exif()
    assert Image.open(io.BytesIO(original)).getexif()  # the upload carries them
    client = client_for(personas.residential_worker)
    upload = SimpleUploadedFile("photo.jpg", original, content_type="image/jpeg")
    response = client.post(reverse("missing:profile_edit", args=[cared_for.pk]), {**PROFILE, "photo": upload})
    assert response.status_code == 302
    photo = ProfilePhoto.objects.get()
    stored = photo.file.read()
    assert b"PhoneMaker" not in stored and b"Exif" not in stored
    kept = Image.open(io.BytesIO(stored))
    assert not kept.getexif() and kept.size == (40, 30) and photo.size == len(stored)

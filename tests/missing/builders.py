"""Builders for missing-episode tests and matrix rows: everything made through the services."""

from __future__ import annotations

import struct
import zlib
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from safeguard.missing import services
from tests.factories import access_for


def _png(width: int = 2, height: int = 2) -> bytes:
    """A small valid PNG (grey pixels), built by hand so the tests need no imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


PNG_BYTES = _png()
JPEG_HEAD = b"\xff\xd8\xff\xe0" + b"\x00" * 100


def report(actor, child, *, hours_ago: float = 40, missing_from: str = "care", **extra):
    return services.episode_report(
        access=access_for(actor, child),
        report=services.EpisodeReport(
            missing_from=missing_from,
            last_seen_at=timezone.now() - timedelta(hours=hours_ago),
            last_seen_where=extra.pop("last_seen_where", "Bus station"),
            placement=extra.pop("placement", ""),
            **extra,
        ),
    )


def returned(actor, episode, *, after_hours: float = 30, **details):
    return services.episode_return_record(
        access=access_for(actor, episode.child),
        episode=episode,
        details=services.ReturnDetails(returned_at=episode.last_seen_at + timedelta(hours=after_hours), **details),
    )


def declined(actor, interview):
    return services.interview_outcome_record(
        access=access_for(actor, interview.child), interview=interview,
        result=services.InterviewOutcome(outcome="declined", reason="Did not want to talk"),
    )


def png_upload(name="photo.png"):
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")

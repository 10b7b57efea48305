"""A map for the local profile, only where a tile server is configured (``SAFEGUARD_MAP_TILE_URL``,
none by default): an SVG that places the server's tiles (Web Mercator, ``{z}/{x}/{y}``) as images and
draws a numbered marker on each hot spot that has coordinates. No script; the browser fetches the
tiles, so the tile server's origin is added to the content security policy's ``img-src``. The
ranked table beside it is the accessible equivalent."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

TILE = 256
MAX_TILES_ACROSS = 4
MAX_ZOOM = 16


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float
    label: str
    number: int


def _world(latitude: float, longitude: float, zoom: int) -> tuple[float, float]:
    """Pixel position on the whole-world map at ``zoom`` (Web Mercator)."""
    scale = TILE * 2**zoom
    x = (longitude + 180.0) / 360.0 * scale
    lat = math.radians(max(min(latitude, 85.0511), -85.0511))
    y = (1.0 - math.log(math.tan(lat) + 1.0 / math.cos(lat)) / math.pi) / 2.0 * scale
    return x, y


def fit_zoom(points: Sequence[Point]) -> int:
    """The closest zoom at which every point fits within ``MAX_TILES_ACROSS`` tiles each way."""
    for zoom in range(MAX_ZOOM, -1, -1):
        xs, ys = zip(*(_world(p.latitude, p.longitude, zoom) for p in points), strict=True)
        if max(xs) - min(xs) <= TILE * (MAX_TILES_ACROSS - 1) and max(ys) - min(ys) <= TILE * (MAX_TILES_ACROSS - 1):
            return zoom
    return 0


def tile_map(points: Sequence[Point], *, tile_url: str, attribution: str, title: str) -> SafeString | None:
    """The SVG, or None when no point has coordinates or no tile server is configured."""
    if not points or not tile_url:
        return None
    zoom = fit_zoom(points)
    world = [_world(p.latitude, p.longitude, zoom) for p in points]
    first_x = int(min(x for x, _ in world) // TILE)
    first_y = int(min(y for _, y in world) // TILE)
    last_x = int(max(x for x, _ in world) // TILE)
    last_y = int(max(y for _, y in world) // TILE)
    width, height = (last_x - first_x + 1) * TILE, (last_y - first_y + 1) * TILE
    tiles = format_html_join("", '<image href="{}" x="{}" y="{}" width="{}" height="{}"></image>', (
        (tile_url.format(z=zoom, x=tx, y=ty), (tx - first_x) * TILE, (ty - first_y) * TILE, TILE, TILE)
        for tx in range(first_x, last_x + 1) for ty in range(first_y, last_y + 1)
    ))
    markers = format_html_join("", (
        '<g><circle cx="{}" cy="{}" r="11" fill="#d4351c" stroke="#ffffff" stroke-width="2"></circle>'
        '<text x="{}" y="{}" font-size="12" text-anchor="middle" fill="#ffffff">{}</text></g>'
    ), (
        (round(x - first_x * TILE, 1), round(y - first_y * TILE, 1), round(x - first_x * TILE, 1),
         round(y - first_y * TILE + 4, 1), p.number)
        for p, (x, y) in zip(points, world, strict=True)
    ))
    desc = (f"Map of {len(points)} hot spots, numbered as in the ranked table beside it, which is the full "
            f"equivalent. Map tiles: {attribution}.")
    return format_html(
        '<svg class="sg-map" xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {} {}" width="{}" '
        'height="{}" aria-labelledby="map-title map-desc"><title id="map-title">{}</title>'
        '<desc id="map-desc">{}</desc>{}{}</svg>',
        width, height, width, height, title, desc, tiles, markers,
    )

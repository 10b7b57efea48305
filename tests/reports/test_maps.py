"""The local profile's map: tiles and markers placed by Web Mercator, only with a tile server."""

from safeguard.reports.maps import MAX_TILES_ACROSS, TILE, Point, _world, fit_zoom, tile_map

URL = "https://tiles.example.org/{z}/{x}/{y}.png"


def test_no_tile_server_or_no_point_means_no_map():
    assert tile_map([Point(51.5, -1.8, "Station Road", 1)], tile_url="", attribution="x", title="t") is None
    assert tile_map([], tile_url=URL, attribution="x", title="t") is None


def test_the_world_position_of_known_places():
    assert _world(0, 0, 0) == (128.0, 128.0)
    x, y = _world(51.5560, -1.7797, 10)  # Swindon: tile 506, 340 at zoom 10
    assert (int(x // TILE), int(y // TILE)) == (506, 340)


def test_points_close_together_get_a_close_zoom_and_far_apart_a_wide_one():
    near = [Point(51.556, -1.780, "a", 1), Point(51.560, -1.770, "b", 2)]
    far = [Point(51.556, -1.780, "a", 1), Point(52.486, -1.890, "Birmingham", 2)]
    assert fit_zoom(near) > fit_zoom(far)
    for points in (near, far):
        zoom = fit_zoom(points)
        xs = [_world(p.latitude, p.longitude, zoom)[0] for p in points]
        assert max(xs) - min(xs) <= TILE * (MAX_TILES_ACROSS - 1)


def test_the_svg_has_tiles_numbered_markers_and_a_text_equivalent():
    svg = str(tile_map([Point(51.556, -1.780, "Station <Road>", 1), Point(51.560, -1.770, "Park", 2)],
                       tile_url=URL, attribution="© Example contributors", title="Hot spots"))
    assert svg.startswith('<svg class="sg-map"') and 'role="img"' in svg
    assert "https://tiles.example.org/" in svg and "<script" not in svg
    assert svg.count("<circle") == 2 and ">1</text>" in svg and ">2</text>" in svg
    assert "© Example contributors" in svg and "ranked table" in svg


def _settings(**env):
    import os
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-c", "import safeguard.settings as s; print(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"],
        env={"DJANGO_SETTINGS_MODULE": "safeguard.settings", "PATH": os.environ.get("PATH", ""), "SAFEGUARD_DEV": "1",
             **env}, capture_output=True, text=True, check=False,
    )


def test_a_tile_server_must_be_https_with_its_attribution_and_is_allowed_for_images():
    assert "must be an https:// URL template" in _settings(SAFEGUARD_MAP_TILE_URL="http://t.example/{z}/{x}/{y}").stderr
    assert "whose map tiles" in _settings(SAFEGUARD_MAP_TILE_URL=URL).stderr
    ok = _settings(SAFEGUARD_MAP_TILE_URL=URL, SAFEGUARD_MAP_ATTRIBUTION="© Example")
    assert ok.returncode == 0 and "https://tiles.example.org" in ok.stdout
    assert "tiles.example.org" not in _settings().stdout

"""A realistic, invented region for `make demo`."""

from .region import DEMO_PASSWORD, build_region

__all__ = ["DEMO_PASSWORD", "build_region", "load_demo"]


def load_demo() -> str:
    region = build_region()
    from .stories import build_stories

    children = build_stories(region)
    return (
        f"Loaded {len(region.agencies)} agencies, {len(region.users)} logins (password {DEMO_PASSWORD}) "
        f"and {children} children."
    )

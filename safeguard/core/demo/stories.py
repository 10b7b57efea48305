"""The demo children. Their stories follow the handbook's case studies (§4) and §8, with invented names."""


def build_stories(region) -> int:
    return 0

import pytest


@pytest.fixture(autouse=True)
def _emails(request):
    """Give the personas work email addresses, so invitations are sent."""
    if "personas" not in request.fixturenames:
        return
    personas = request.getfixturevalue("personas")
    for key, person in personas.all().items():
        person.email = f"{key}@example.org"
        person.save(update_fields=["email"])

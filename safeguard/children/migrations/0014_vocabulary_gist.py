"""The vocabulary's trigram index becomes GiST (PostgreSQL only).

A misspelt word is looked up among the indexed words (``NameWord``) by trigram similarity. With the
GIN index PostgreSQL judged a scan of the whole vocabulary cheaper (15,000 words at region scale:
20–28 ms a typed word); a GiST index answers the same ``%`` lookup in about 3 ms, and can also give
the closest words in order. The vocabulary grows with the variety of names, not with the children.
"""

from django.db import migrations


def gist(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS nameword_word_gist ON children_nameword USING gist (word gist_trgm_ops)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS nameword_word_trgm")


def gin(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS nameword_word_trgm ON children_nameword USING gin (word gin_trgm_ops)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS nameword_word_gist")


class Migration(migrations.Migration):
    dependencies = [("children", "0013_retention_cursor")]
    operations = [migrations.RunPython(gist, gin, elidable=False)]

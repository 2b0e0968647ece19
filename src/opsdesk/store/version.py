"""The schema version this opsdesk writes, known without loading the migrations.

Kept apart from ``schema.py`` so that opening an up-to-date database never imports
sqlite-utils (a tenth of a second at start-up). A test checks it equals the number of
migrations.
"""

SCHEMA_VERSION = 18

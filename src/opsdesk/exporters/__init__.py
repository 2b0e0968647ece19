"""Pure transforms from opsdesk's records to files other programs read (.ics, .md).

Nothing here touches the database or Textual: services gather the records, these modules
turn them into bytes or text.
"""

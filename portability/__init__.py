"""Moving a whole newsroom between machines and databases: export_newsroom and import_newsroom.

The format is described in docs/export-format.md; format.py holds its rules in code.
"""

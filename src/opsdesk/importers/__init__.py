"""Importers: pure readers that turn files (CSV, JSON Lines) into records. No Textual."""

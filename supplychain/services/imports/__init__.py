"""Bulk imports from files: suppliers, past evidence, remembered column mappings, background import jobs."""

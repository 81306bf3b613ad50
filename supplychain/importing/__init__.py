"""Pure helpers for reading the files groups bring from their platforms (issue 15).

No Flask, no database: encodings (:mod:`.encodings`), header recognition and column mapping
(:mod:`.columns`) and the forms cell values take in real exports (:mod:`.values`).
"""

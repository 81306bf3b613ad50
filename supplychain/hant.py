"""Traditional Chinese (繁體, Hong Kong wording) from the simplified Chinese text of the disclosure (issue 12, D8).

OpenCC's s2hk conversion gives the characters and the Hong Kong variants (供應商, 華東, 海外); a short list of
reviewed fixes corrects phrases the converter splits wrongly (承諾書簽署 is not 書籤 "bookmark").
"""

from __future__ import annotations

from functools import lru_cache

# Reviewed corrections applied after the conversion: (OpenCC's output, the wording HK filings use).
# 獲准 (approved) stays 獲准 when a text is converted twice (the PDF converts its labels again); an ESG
# disclosure is 資料披露 in Hong Kong filings, not the mainland's 信息披露.
FIXES = (("籤署", "簽署"), ("書籤", "書簽"), ("獲準", "獲准"), ("信息披露", "資料披露"))


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("s2hk.json")


@lru_cache(maxsize=4096)
def to_hant(text: str) -> str:
    """The traditional Chinese (Hong Kong) version of a simplified Chinese text."""
    if not text:
        return text
    out = _converter().convert(text)
    for wrong, right in FIXES:
        out = out.replace(wrong, right)
    return out

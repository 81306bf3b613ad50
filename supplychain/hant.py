"""Traditional Chinese (繁體, Hong Kong wording) from the simplified Chinese text of the disclosure (issue 12, D8).

OpenCC's s2hk conversion gives the characters and the Hong Kong variants (供應商, 華東, 海外); the interface's
reviewed terms (supplychain/i18n_hant.py) then correct what the converter gets wrong (承諾書簽署 is not 書籤
"bookmark"), so the page and the files read alike.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("s2hk.json")


@lru_cache(maxsize=4096)
def to_hant(text: str) -> str:
    """The traditional Chinese (Hong Kong) version of a simplified Chinese text, worded as the interface is
    (i18n_hant.DOMAIN_TERMS: 資料披露, 簽署, 獲准 also when a text is converted twice)."""
    from supplychain.i18n_hant import convert

    if not text:
        return text
    return convert(text, _converter())

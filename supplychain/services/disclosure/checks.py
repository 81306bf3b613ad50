"""The consistency checks an editor reads before downloading.
"""

from __future__ import annotations

from supplychain import regions
from supplychain.services.disclosure.narrative_texts import narrative_disagreements
from supplychain.services.disclosure.reporting_year import Disclosure


def consistency(result: Disclosure) -> list[tuple[str, str]]:
    """Warnings an editor reads before downloading: figures that disagree with each other, and edited
    narratives citing numbers that are not the section's figures (zh, en)."""
    v = result.values[result.year]
    warnings = []
    for section, language, numbers in narrative_disagreements(result):
        listed = ", ".join(sorted(numbers))
        zh_lang, en_lang = ("中文", "Chinese") if language == "zh" else ("英文", "English")
        warnings.append((f"{section} 的{zh_lang}叙述引用的数字与该节数据不符：{listed}。",
                         f"The {en_lang} narrative of {section} cites numbers that are not its figures: {listed}."))
    terminated = set(v["KPI.terminated_social"].records.ids)
    in_gri = set(v["GRI.308-2.e.why"].records.ids) | set(v["GRI.414-2.e.why"].records.ids)
    if terminated != in_gri:
        warnings.append(("因社会责任不合规终止合作的供应商数与 GRI 308-2/414-2 (e) 不一致。",
                         "Suppliers terminated for social-responsibility non-compliance differ from GRI "
                         "308-2/414-2 (e)."))
    regions_sum = sum(int(v[f"B5.1.{r.key}"].value or 0) for r in regions.REGIONS)
    if regions_sum != v["B5.1.total"].value:
        warnings.append(("各地区供应商数之和不等于供应商总数。",
                         "The suppliers by region do not add up to the total."))
    if v["B5.1.total"].value and v["B5.2.pledge_signing_rate"].value is None:
        warnings.append(("没有品类要求签署廉洁承诺书，签署率无法计算。",
                         "No category requires an integrity pledge, so its signing rate cannot be computed."))
    return warnings

"""The narratives of each section, stating only what the year's figures support (D5), and the
edited narratives that cite numbers which are not the section's figures.
"""

from __future__ import annotations

import re

from supplychain.services.disclosure.breakdowns import breakdown_text
from supplychain.services.disclosure.definitions import FIRST_YEAR, SPEC_BY_CODE, SPECS, Value
from supplychain.services.disclosure.formatting import display
from supplychain.services.disclosure.reporting_year import Disclosure


def _n(value: Value) -> str:
    v = value.value
    if v is None:
        return "—"
    if isinstance(v, float) and not v.is_integer():
        return f"{v:,.1f}"
    return f"{int(v):,}"


def _pct(value: Value, places: int) -> str:
    return "—" if value.value is None else f"{value.value:,.{places}f}"


def narratives(result: Disclosure) -> dict[str, tuple[str, str]]:
    """The "how implemented and monitored" text of each section, in Chinese and English (D5).

    Every sentence states only what the year's figures support: a practice is described only when records
    of it exist, and a zero is said as such ("no incident was recorded"), never beside a claim."""
    v = result.values[result.year]
    y, p = result.year, result.settings.percent_places

    def n(code: str) -> int:
        return int(v[code].value or 0)

    def join(parts: list[tuple[str, str]]) -> tuple[str, str]:
        return "".join(zh for zh, _en in parts), " ".join(en for _zh, en in parts)

    marked = [(year, spec, result.values[year][spec.code]) for year in result.years if year in result.values
              for spec in SPECS if spec.kpi and result.values[year][spec.code].basis in ("entered", "restated")]
    kpi_zh = f"下表列示 {y} 年及前两个年度的供应链关键绩效指标，除注明者外均由系统记录计算，可追溯至每条记录。"
    kpi_en = (f"The table shows the supply-chain KPIs of {y} and the two previous years, each computed from the "
              "records in the system and traceable to them unless marked.")
    for year, spec, value in marked:
        kind_zh, kind_en = ("录入", "entered") if value.basis == "entered" else ("重述", "restated")
        kpi_zh += f"{year} 年「{spec.label_zh}」为{kind_zh}数（{value.note}）。"
        kpi_en += f" {year} {spec.label_en}: {kind_en} ({value.note})."
    targets = [(spec, result.targets[spec.code]) for spec in SPECS if spec.kpi and spec.code in result.targets]
    if targets:
        kpi_zh += f"{y} 年目标：" + "；".join(f"{s.label_zh} {display(Value(t), s.unit, p)}" for s, t in targets) + "。"
        kpi_en += f" Targets for {y}: " + "; ".join(f"{s.label_en} {display(Value(t), s.unit, p)}"
                                                    for s, t in targets) + "."
    out: dict[str, tuple[str, str]] = {
        "KPI": (kpi_zh, kpi_en),
        "B5.1": _population_text(result, v, p),
    }
    practices = []
    if n("B5.2.admission_reviewed"):
        practices.append(("供应商准入评审", "admission reviews"))
    if n("B5.3.evaluations"):
        practices.append(("定期评价", "periodic evaluations"))
    if n("B5.2.pledge_signed"):
        practices.append(("廉洁承诺", "integrity pledges"))
    if n("KPI.training_sessions"):
        practices.append(("ESG培训", "ESG training"))
    if n("KPI.terminated_social"):
        practices.append(("黑名单制度", "a blacklist"))
    if practices:
        out["B5"] = ("本年系统记录的供应链环境及社会风险管理惯例包括：" + "、".join(z for z, _e in practices) + "。",
                     "The practices recorded in the system for managing the supply chain's environmental and "
                     "social risks in the year are: " + ", ".join(e for _z, e in practices) + ".")
    else:
        out["B5"] = ("本年系统中没有记录供应链管理惯例。",
                     "No supply-chain management practice is recorded in the system for the year.")
    b52: list[tuple[str, str]] = []
    if n("B5.2.admission_reviewed"):
        b52.append((f"新供应商须通过准入评审；年末 {_n(v['B5.2.admission_reviewed'])} 家在册供应商经准入评审引入。",
                    f"New suppliers pass an admission review; at the year end {_n(v['B5.2.admission_reviewed'])} "
                    "suppliers in the supply chain had been admitted through it."))
    else:
        b52.append(("年末在册供应商中没有经系统准入评审引入的供应商。",
                    "No supplier in the supply chain at the year end was admitted through an admission review "
                    "recorded in the system."))
    kinds = [("B5.2.pledge_signing_rate", "廉洁承诺书", "integrity pledge")] + [
        (f"B5.2.pledge.{code}", SPEC_BY_CODE[f"B5.2.pledge.{code}"].label_zh.removeprefix("签署率："),
         SPEC_BY_CODE[f"B5.2.pledge.{code}"].label_en.removeprefix("Signing rate: "))
        for code in ("clean_government", "anti_bribery", "code_of_conduct", "wage_guarantee")]
    rated = [(zh, en, v[code]) for code, zh, en in kinds if v[code].value is not None]
    if rated:
        b52.append(("签署率：" + "；".join(f"{zh} {_pct(r, p)}%（{len(r.records)}/{len(r.denominator)}）"
                                          for zh, _en, r in rated) + "。",
                    "Signing rates: " + "; ".join(f"{en} {_pct(r, p)} % ({len(r.records)} of "
                                                  f"{len(r.denominator)})" for _zh, en, r in rated) + "."))
    b52.append((f"本年共签署承诺书 {_n(v['B5.2.pledges_signed'])} 份。",
                f"{_n(v['B5.2.pledges_signed'])} pledges were signed in the year."))
    out["B5.2"] = join(b52)
    b53: list[tuple[str, str]] = []
    if n("B5.3.assessed"):
        b53.append((f"本年对 {_n(v['B5.3.assessed'])} 家供应商开展了包含环境及社会标准的评价（共 "
                    f"{_n(v['B5.3.evaluations'])} 次）。",
                    f"In the year {_n(v['B5.3.assessed'])} suppliers were evaluated with environmental and "
                    f"social criteria ({_n(v['B5.3.evaluations'])} evaluations)."))
    else:
        b53.append(("本年没有包含环境及社会标准的评价。",
                    "No evaluation with environmental and social criteria was made in the year."))
    if n("B5.3.questionnaires_reviewed"):
        b53.append((f"审核了 {_n(v['B5.3.questionnaires_reviewed'])} 家供应商的ESG自评问卷。",
                    f"The ESG self-assessments of {_n(v['B5.3.questionnaires_reviewed'])} suppliers were "
                    "reviewed."))
    if n("B5.3.incidents"):
        followed = v["GRI.308-2.d"].records or v["GRI.414-2.d"].records
        b53.append((f"记录环境及社会事件 {_n(v['B5.3.incidents'])} 起，涉及 {_n(v['B5.3.suppliers_with_incidents'])}"
                    " 家供应商" + ("，重大事件已提出整改措施。" if followed and len(followed) else "。"),
                    f"{_n(v['B5.3.incidents'])} environmental and social incidents at "
                    f"{_n(v['B5.3.suppliers_with_incidents'])} suppliers were recorded"
                    + ("; corrective actions were raised on significant ones." if followed and len(followed)
                       else ".")))
    else:
        b53.append(("本年没有记录环境及社会事件。", "No environmental or social incident was recorded in the year."))
    out["B5.3"] = join(b53)
    b54: list[tuple[str, str]] = []
    if n("B5.4.selected"):
        b54.append((f"年末有 {_n(v['B5.4.selected'])} 家在册供应商经包含环境标准的准入评审甄选"
                    f"（{_pct(v['B5.4.selected.share'], p)}%），其中本年 {_n(v['B5.4.env_selected'])} 家。",
                    f"At the year end {_n(v['B5.4.selected'])} suppliers in the supply chain had been selected "
                    f"with environmental criteria ({_pct(v['B5.4.selected.share'], p)} %), "
                    f"{_n(v['B5.4.env_selected'])} of them in the year."))
    else:
        b54.append(("年末在册供应商中没有经环境标准甄选的供应商。",
                    "No supplier in the supply chain at the year end was selected with environmental criteria."))
    b54.append(_green_spend_text(v["B5.4.green_spend_share"], result.settings.spend_currency, p))
    b54.append((f"另有 {_n(v['B5.4.iso14001'])} 家在册供应商持有有效的ISO 14001环境管理体系证书（管理体系认证，"
                "不代表产品为环保产品）。",
                f"Separately, {_n(v['B5.4.iso14001'])} suppliers held a valid ISO 14001 certificate (an "
                "environmental management system, not a product criterion)."))
    out["B5.4"] = join(b54)
    for t, zh_topic, en_topic in (("308-1", "环境", "environmental"), ("414-1", "社会", "social")):
        out[f"GRI {t}"] = (
            f"本年新进入供应链的供应商 {_n(v[f'GRI.{t}.new'])} 家，其中 {_n(v[f'GRI.{t}.screened'])} 家"
            f"经包含{zh_topic}标准的准入评审。",
            f"{_n(v[f'GRI.{t}.new'])} suppliers entered the supply chain in the year; "
            f"{_n(v[f'GRI.{t}.screened'])} of them were screened with {en_topic} criteria at admission.")
    for t, zh_topic, en_topic in (("308-2", "环境", "environmental"), ("414-2", "社会", "social")):
        c, why = v[f"GRI.{t}.c"], v[f"GRI.{t}.e.why"]
        zh = (f"重大实际或潜在负面{zh_topic}影响包括本年重大或特别重大事件、未通过相关红线的评价及因此终止合作。"
              f"本年识别 {_n(v[f'GRI.{t}.b'])} 家供应商")
        en = (f"Significant actual or potential negative {en_topic} impacts are major or critical incidents in "
              "the year, evaluations that failed a red line of the topic, and terminations for such reasons. "
              f"{_n(v[f'GRI.{t}.b'])} suppliers were identified")
        if c.breakdown:
            zh += f"（{breakdown_text(c, 'zh')}）"
            en += f" ({breakdown_text(c, 'en')})"
        zh += "。"
        en += "."
        if why.breakdown:
            zh += f"终止合作 {_n(why)} 家，原因：{breakdown_text(why, 'zh')}。"
            en += f" {_n(why)} were terminated; why: {breakdown_text(why, 'en')}."
        else:
            zh += "本年没有因此终止合作的供应商。"
            en += " No relationship was terminated for such reasons in the year."
        out[f"GRI {t}"] = (zh, en)
    if result.policies:
        zh, en = out["B5"]
        zh += "相关制度：" + "；".join(_policy_text(p, result.policies)[0] for p in result.policies) + "。"
        en += " Policies: " + "; ".join(_policy_text(p, result.policies)[1] for p in result.policies) + "."
        out["B5"] = (zh, en)
    for code in list(out):
        zh, en = out[code]
        out[code] = (result.edited.get((code, "zh"), zh), result.edited.get((code, "en"), en))
    for (code, language), text in result.edited.items():
        if code not in out:
            out[code] = (text, "") if language == "zh" else ("", text)
    return out


def _policy_text(policy, policies: list) -> tuple[str, str]:
    """A policy as B5's narrative names it: title, number and the days it was in force (and what superseded it,
    when that is one of the year's policies)."""
    since = policy.effective_on.isoformat()
    if policy.ended_on is None:
        return (f"《{policy.title_zh}》（{policy.number}，{since} 起施行）",
                f"{policy.title_en or policy.title_zh} ({policy.number}, in force from {since})")
    until = policy.ended_on.isoformat()
    successor = next((p for p in policies if p.id == policy.superseded_by_id), None)
    if successor is not None:
        return (f"《{policy.title_zh}》（{policy.number}，{since} 起施行至 {until}，由《{successor.title_zh}》取代）",
                f"{policy.title_en or policy.title_zh} ({policy.number}, in force from {since} to {until}, "
                f"superseded by {successor.title_en or successor.title_zh})")
    return (f"《{policy.title_zh}》（{policy.number}，{since} 起施行至 {until}）",
            f"{policy.title_en or policy.title_zh} ({policy.number}, in force from {since} to {until})")


def _population_text(result: Disclosure, v: dict[str, Value], p: int) -> tuple[str, str]:
    """B5.1's sentence, naming the population the settings chose (the definition beside the figure)."""
    day, total, local, share = result.as_of.isoformat(), _n(v["B5.1.total"]), _n(v["B5.1.local"]), _pct(
        v["B5.1.local.share"], p)
    tail_zh, tail_en = f"，其中本地供应商 {local} 家（{share}%）。", f", {local} of them local ({share} %)."
    if result.settings.b51_population == "with_spend":
        return (f"{result.year} 年（截至 {day}）有采购金额的供应商共 {total} 家" + tail_zh,
                f"{total} suppliers had spend in {result.year} (to {day})" + tail_en)
    if result.settings.b51_population == "registered":
        return (f"截至 {day}，平台上已注册的供应商共 {total} 家" + tail_zh,
                f"At {day} the platform had registered {total} suppliers" + tail_en)
    return (f"截至 {day}，供应链中（获准供货）的供应商共 {total} 家" + tail_zh,
            f"At {day} the supply chain (approved to supply) had {total} suppliers" + tail_en)


def _green_spend_text(value: Value, currency: str, p: int) -> tuple[str, str]:
    """B5.4's green-spend sentence: the amounts and the share, or that the figure is unavailable (never 0)."""
    if value.value is None:
        return (f"绿色采购金额占比不可得：本年没有记录以 {currency} 计的采购金额。",
                f"The green share of spend is unavailable: no spend in {currency} is recorded for the year.")
    amounts = dict(value.breakdown)
    green, total = amounts[f"spend:green:{currency}"], amounts[f"spend:total:{currency}"]
    return (f"本年向经环境标准甄选的供应商采购 {currency} {green:,}，占采购总额 {currency} {total:,} 的 "
            f"{_pct(value, p)}%。",
            f"{currency} {green:,} of the year's {currency} {total:,} spend ({_pct(value, p)} %) went to suppliers "
            "selected with environmental criteria.")


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


def narrative_disagreements(result: Disclosure) -> list[tuple[str, str, set[str]]]:
    """(section, language, numbers) of every edited narrative citing numbers that are none of its section's
    figures (nor a year or a date): the text and the figures disagree."""
    v = result.values[result.year]
    out = []
    for (section, language), text in sorted(result.edited.items()):
        known = {str(y) for y in range(FIRST_YEAR, result.year + 2)}
        for spec in result.section_specs(section) if section != "B5" else SPECS:
            value = v[spec.code].value
            if value is None:
                continue
            known |= {str(int(value)), f"{value:.1f}", f"{value:.0f}"} if isinstance(value, float) else {
                str(value)}
            known |= {str(n) for _key, n in v[spec.code].breakdown}
        found = {n for n in _numbers(re.sub(r"\d{4}-\d{2}-\d{2}", "", text)) if n not in known}
        if found:
            out.append((section, language, found))
    return out

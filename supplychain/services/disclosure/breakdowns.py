"""What GRI (c), the impacts identified, and (e)'s "why" print: the names of a figure's breakdown.
"""

from __future__ import annotations

from supplychain.services.disclosure.definitions import Value

# What (c), the impacts identified, and (e)'s "why" print: (Chinese, English) per breakdown key.
INCIDENT_TEXT = {"environmental": ("环境事件", "environmental incident"), "labour": ("劳工事件", "labour incident"),
                 "safety": ("安全事件", "safety incident"), "ethics": ("商业道德事件", "ethics incident")}


SEVERITY_TEXT = {"major": ("重大", "major"), "critical": ("特别重大", "critical")}
REASON_TEXT = {
    "bid_rigging": ("串通投标", "bid rigging"), "bribery": ("商业贿赂", "bribery"),
    "illegal_labour": ("违法用工", "illegal labour practice"),
    "environmental_incident": ("环境违法事件", "environmental incident"), "fraud": ("欺诈", "fraud"),
    "quality_failure": ("严重质量问题", "serious quality failure"), "other": ("其他", "other"),
    "exit_evaluation": ("评价未通过社会责任红线后退出", "exited after an evaluation failed a social red line"),
}


def breakdown_label(key: str, language: str) -> str:
    """The printed name of a breakdown key: incident:<category>:<severity>, assessment, terminated:<reason>."""
    i = 1 if language == "en" else 0
    kind, _sep, rest = key.partition(":")
    if kind == "incident":
        category, _sep, severity = rest.partition(":")
        text = INCIDENT_TEXT.get(category, (category, category))[i]
        level = SEVERITY_TEXT.get(severity, (severity, severity))[i]
        return f"{level} {text}" if i else f"{level}{text}"
    if kind == "country":
        return rest
    if kind == "spend":
        part, _sep, currency = rest.partition(":")
        return (f"绿色采购金额（{currency}）" if part == "green" else f"采购总额（{currency}）",
                f"green spend ({currency})" if part == "green" else f"total spend ({currency})")[i]
    if kind == "assessment":
        return ("评价未通过相关红线（潜在影响）", "assessment failed a red line (potential impact)")[i]
    if kind == "audit_finding":
        impact = ("潜在影响", "potential impact") if rest == "potential" else ("实际影响", "actual impact")
        return (f"审核发现重大问题（{impact[0]}）", f"major audit finding ({impact[1]})")[i]
    if kind == "terminated":
        return (f"终止合作：{REASON_TEXT.get(rest, (rest, rest))[0]}",
                f"terminated: {REASON_TEXT.get(rest, (rest, rest))[1]}")[i]
    return key


def breakdown_text(value: Value, language: str) -> str:
    """A figure's breakdown as printed: "major labour incident: 2 suppliers; terminated: bribery: 1"."""
    if not value.breakdown:
        return ""
    if language == "en":
        return "; ".join(f"{breakdown_label(k, 'en')}: {n:,}" for k, n in value.breakdown)
    return "；".join(f"{breakdown_label(k, 'zh')} {n:,}" + ("" if k.startswith("spend:") else " 家")
                    for k, n in value.breakdown)
